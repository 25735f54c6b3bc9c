package io.s2i.service.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildInputs;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import io.s2i.service.model.RunPolicy;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.model.TriggerCause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link BuildStore} over JDBC; the same SQL runs on H2 and PostgreSQL. */
public final class JdbcBuildStore implements BuildStore {
  private static final TypeReference<List<TriggerCause>> CAUSES = new TypeReference<>() {};
  private static final TypeReference<List<Build.Stage>> STAGES = new TypeReference<>() {};
  private static final String BUILD_COLUMNS = "id, name, config_name, number, phase, reason, message,"
      + " cancel_requested, created_at, started_at, completed_at, duration_ms, config_spec, options,"
      + " triggered_by, stages, revision, output_image, image_digest, image_id, log_snippet, executor,"
      + " upload_path, upload_replica, owner, lease_until, attempt, inputs";
  private static final String ACTIVE = "('Pending','Running')";

  private final DataSource db;
  private final Clock clock;
  private volatile LatestOnlyPolicy latestOnly = LatestOnlyPolicy.ARRIVAL_ORDER;

  /** A store on this pool, with this clock for the times it records. */
  public JdbcBuildStore(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A store on {@code database}'s pool, with the system clock. */
  public JdbcBuildStore(Database database) {
    this(database.dataSource(), Clock.systemUTC());
  }

  /** How {@code SerialLatestOnly} picks the build to run (default: the last queued). */
  public void latestOnlyPolicy(LatestOnlyPolicy policy) {
    this.latestOnly = Objects.requireNonNull(policy, "policy");
  }

  // ------------------------------------------------------------------ configurations

  @Override
  public Optional<BuildConfig> config(String name) {
    return tx(c -> config(c, name, false));
  }

  private Optional<BuildConfig> config(Connection c, String name, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT spec, last_version, created_at, updated_at"
        + " FROM build_configs WHERE name = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(configRow(rs)) : Optional.empty();
      }
    }
  }

  private static BuildConfig configRow(ResultSet rs) throws SQLException {
    BuildConfig spec = ServiceJson.readTrusted(rs.getString("spec"), BuildConfig.class);
    return spec.withStatus(new BuildConfig.Status(rs.getLong("last_version"),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at"))));
  }

  @Override
  public List<BuildConfig> configs() {
    return tx(c -> {
      List<BuildConfig> all = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT spec, last_version, created_at, updated_at FROM build_configs ORDER BY name");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(configRow(rs));
        }
      }
      return all;
    });
  }

  @Override
  public boolean createConfig(BuildConfig config) {
    return tx(c -> {
      if (config(c, config.name(), true).isPresent()) {
        return false;
      }
      try {
        insertConfig(c, config);
      } catch (SQLException e) {
        if (isDuplicate(e)) {
          return false;
        }
        throw e;
      }
      return true;
    });
  }

  private void insertConfig(Connection c, BuildConfig config) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO build_configs"
        + " (name, spec, run_policy, last_version, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)")) {
      ps.setString(1, config.name());
      ps.setString(2, ServiceJson.write(config.withStatus(null)));
      ps.setString(3, config.effectiveRunPolicy().name());
      ps.setLong(4, now);
      ps.setLong(5, now);
      ps.executeUpdate();
    }
  }

  @Override
  public PutResult putConfig(BuildConfig config) {
    for (int attempt = 0; ; attempt++) {
      try {
        return tx(c -> {
          Optional<BuildConfig> old = config(c, config.name(), true);
          if (old.isEmpty()) {
            insertConfig(c, config);
            return PutResult.created;
          }
          String spec = ServiceJson.write(config.withStatus(null));
          if (spec.equals(ServiceJson.write(old.get().withStatus(null)))) {
            return PutResult.unchanged;
          }
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE build_configs SET spec = ?, run_policy = ?, updated_at = ? WHERE name = ?")) {
            ps.setString(1, spec);
            ps.setString(2, config.effectiveRunPolicy().name());
            ps.setLong(3, clock.millis());
            ps.setString(4, config.name());
            ps.executeUpdate();
          }
          return PutResult.configured;
        });
      } catch (StoreException e) {
        // Two creators of one new name: the loser sees the key taken and updates instead.
        if (attempt > 0 || !(e.getCause() instanceof SQLException s && isDuplicate(s))) {
          throw e;
        }
      }
    }
  }

  @Override
  public Optional<List<StoredBuild>> deleteConfig(String name) {
    return tx(c -> {
      if (config(c, name, true).isEmpty()) {
        return Optional.empty();
      }
      List<StoredBuild> builds = queryBuilds(c, "WHERE config_name = ?", name);
      for (StoredBuild b : builds) {
        deleteBuild(c, b.id());
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM build_configs WHERE name = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      return Optional.of(builds);
    });
  }

  // ------------------------------------------------------------------ builds

  @Override
  public Optional<StoredBuild> createBuild(String configName, BuildOptions options,
      List<TriggerCause> causes, String uploadPath, String uploadReplica) {
    return tx(c -> {
      Optional<BuildConfig> config = config(c, configName, true);
      if (config.isEmpty()) {
        return Optional.empty();
      }
      long number = config.get().status().lastVersion() + 1;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE build_configs SET last_version = ? WHERE name = ?")) {
        ps.setLong(1, number);
        ps.setString(2, configName);
        ps.executeUpdate();
      }
      long now = clock.millis();
      if (config.get().effectiveRunPolicy() == RunPolicy.SerialLatestOnly && latestOnly.cancelQueuedOnCreate(causes)) {
        cancelQueued(c, configName, "a newer build was queued (run policy SerialLatestOnly)", now);
      }
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO builds (name, config_name, number, phase,"
          + " created_at, config_spec, options, triggered_by, output_image, upload_path, upload_replica)"
          + " VALUES (?, ?, ?, 'New', ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        BuildConfig snapshot = config.get().withStatus(null);
        ps.setString(1, Build.nameOf(configName, number));
        ps.setString(2, configName);
        ps.setLong(3, number);
        ps.setLong(4, now);
        ps.setString(5, ServiceJson.write(snapshot));
        ps.setString(6, ServiceJson.write(options));
        ps.setString(7, ServiceJson.write(causes));
        ps.setString(8, snapshot.output() == null ? null : snapshot.output().image());
        ps.setString(9, uploadPath);
        ps.setString(10, uploadReplica);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      return build(c, id);
    });
  }

  private void cancelQueued(Connection c, String configName, String message, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Cancelled', reason = ?,"
        + " message = ?, completed_at = ? WHERE config_name = ? AND phase = 'New'")) {
      ps.setString(1, BuildReasons.CANCELLED);
      ps.setString(2, message);
      ps.setLong(3, now);
      ps.setString(4, configName);
      ps.executeUpdate();
    }
  }

  @Override
  public Optional<StoredBuild> build(String name) {
    return tx(c -> queryBuilds(c, "WHERE name = ?", name).stream().findFirst());
  }

  @Override
  public Optional<StoredBuild> build(long id) {
    return tx(c -> build(c, id));
  }

  private Optional<StoredBuild> build(Connection c, long id) throws SQLException {
    return queryBuilds(c, "WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public List<Build> builds(Optional<String> configName, int limit) {
    return tx(c -> {
      String where = configName.isPresent() ? "WHERE config_name = ? " : "";
      Object[] args = configName.isPresent() ? new Object[] {configName.get()} : new Object[0];
      return queryBuilds(c, where + "ORDER BY created_at DESC, id DESC LIMIT " + Math.max(1, limit), args)
          .stream().map(StoredBuild::build).toList();
    });
  }

  @Override
  public Optional<Build> latestBuild(String configName) {
    return builds(Optional.of(configName), 1).stream().findFirst();
  }

  @Override
  public BuildPage buildPage(BuildQuery q) {
    return tx(c -> {
      StringBuilder where = new StringBuilder("WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (q.config().isPresent()) {
        where.append(" AND config_name = ?");
        args.add(q.config().get());
      }
      if (!q.phases().isEmpty()) {
        where.append(" AND phase IN (").append(String.join(", ", java.util.Collections.nCopies(q.phases().size(), "?")))
            .append(')');
        q.phases().stream().map(Enum::name).sorted().forEach(args::add);
      }
      long total = count(c, "SELECT COUNT(*) FROM builds " + where, args.toArray());
      if (q.after().isPresent()) {
        BuildQuery.Cursor after = q.after().get();
        where.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
        args.add(after.createdAtMillis());
        args.add(after.createdAtMillis());
        args.add(after.id());
      }
      int limit = Math.max(1, q.limit());
      // One more row than asked tells whether a next page exists.
      List<StoredBuild> rows = queryBuilds(c, where + " ORDER BY created_at DESC, id DESC LIMIT " + (limit + 1),
          args.toArray());
      Optional<BuildQuery.Cursor> next = Optional.empty();
      if (rows.size() > limit) {
        rows = rows.subList(0, limit);
        StoredBuild last = rows.get(limit - 1);
        next = Optional.of(new BuildQuery.Cursor(last.build().createdAt().toEpochMilli(), last.id()));
      }
      return new BuildPage(rows.stream().map(StoredBuild::build).toList(), next, total);
    });
  }

  @Override
  public java.util.Map<String, Build> latestBuilds() {
    return tx(c -> {
      java.util.Map<String, Build> out = new java.util.TreeMap<>();
      for (StoredBuild b : queryBuilds(c, "WHERE id IN (SELECT MAX(id) FROM builds GROUP BY config_name)")) {
        out.put(b.build().config(), b.build());
      }
      return out;
    });
  }

  @Override
  public java.util.Map<BuildPhase, Long> phaseCounts() {
    return tx(c -> {
      java.util.Map<BuildPhase, Long> out = new java.util.EnumMap<>(BuildPhase.class);
      try (PreparedStatement ps = c.prepareStatement("SELECT phase, COUNT(*) FROM builds GROUP BY phase");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(BuildPhase.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      return out;
    });
  }

  @Override
  public Optional<BuildPhase> requestCancel(String name) {
    return tx(c -> {
      Optional<StoredBuild> b = queryBuilds(c, "WHERE name = ? FOR UPDATE", name).stream().findFirst();
      if (b.isEmpty()) {
        return Optional.empty();
      }
      BuildPhase phase = b.get().build().phase();
      if (phase == BuildPhase.New) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Cancelled',"
            + " cancel_requested = TRUE, reason = ?, message = ?, completed_at = ? WHERE id = ?")) {
          ps.setString(1, BuildReasons.CANCELLED);
          ps.setString(2, "cancelled while queued");
          ps.setLong(3, clock.millis());
          ps.setLong(4, b.get().id());
          ps.executeUpdate();
        }
        return Optional.of(BuildPhase.New);
      }
      if (!phase.isTerminal()) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE builds SET cancel_requested = TRUE WHERE id = ?")) {
          ps.setLong(1, b.get().id());
          ps.executeUpdate();
        }
      }
      return Optional.of(phase);
    });
  }

  /**
   * Cancels a build only while it is still queued: a trigger that supersedes queued builds must
   * not stop one a server has claimed meanwhile.
   *
   * @return whether it was queued and is now Cancelled
   */
  public boolean cancelIfQueued(String name, String message) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Cancelled', reason = ?,"
          + " message = ?, completed_at = ? WHERE name = ? AND phase = 'New'")) {
        ps.setString(1, BuildReasons.CANCELLED);
        ps.setString(2, message);
        ps.setLong(3, clock.millis());
        ps.setString(4, name);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<StoredBuild> claim(String owner, int max, Duration lease) {
    if (max <= 0) {
      return List.of();
    }
    return tx(c -> {
      // Lock the configurations that have queued builds; another server claiming from one of
      // them at this moment holds its lock, and this one skips it rather than wait.
      List<String[]> configs = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT name, run_policy FROM build_configs"
          + " WHERE name IN (SELECT config_name FROM builds WHERE phase = 'New')"
          + " ORDER BY name FOR UPDATE SKIP LOCKED");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          configs.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      long now = clock.millis();
      List<StoredBuild> candidates = new ArrayList<>();
      for (String[] cfg : configs) {
        RunPolicy policy = RunPolicy.valueOf(cfg[1]);
        List<StoredBuild> queued = queryBuilds(c, "WHERE config_name = ? AND phase = 'New'"
            + " AND (upload_replica IS NULL OR upload_replica = ?) ORDER BY number", cfg[0], owner);
        if (queued.isEmpty()) {
          continue;
        }
        if (policy == RunPolicy.Parallel) {
          candidates.addAll(queued);
          continue;
        }
        if (count(c, "SELECT COUNT(*) FROM builds WHERE config_name = ? AND phase IN " + ACTIVE, cfg[0]) > 0) {
          continue;
        }
        if (policy == RunPolicy.SerialLatestOnly) {
          Optional<StoredBuild> lastStarted = queryBuilds(c, "WHERE config_name = ? AND started_at IS NOT NULL"
              + " ORDER BY number DESC LIMIT 1", cfg[0]).stream().findFirst();
          LatestOnlyPolicy.Choice choice = latestOnly.choose(cfg[0], queued, lastStarted);
          for (StoredBuild superseded : choice.cancel()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Cancelled', reason = ?,"
                + " message = ?, completed_at = ? WHERE id = ? AND phase = 'New'")) {
              ps.setString(1, BuildReasons.CANCELLED);
              ps.setString(2, choice.reason());
              ps.setLong(3, now);
              ps.setLong(4, superseded.id());
              ps.executeUpdate();
            }
          }
          if (choice.run().isPresent()) {
            // Older builds whose upload waits on another server are not in this server's list.
            try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Cancelled', reason = ?,"
                + " message = ?, completed_at = ? WHERE config_name = ? AND phase = 'New' AND number < ?"
                + " AND upload_replica IS NOT NULL AND upload_replica <> ?")) {
              ps.setString(1, BuildReasons.CANCELLED);
              ps.setString(2, choice.reason());
              ps.setLong(3, now);
              ps.setString(4, cfg[0]);
              ps.setLong(5, choice.run().get().build().number());
              ps.setString(6, owner);
              ps.executeUpdate();
            }
            candidates.add(choice.run().get());
          }
        } else {
          candidates.add(queued.get(0));
        }
      }
      candidates.sort(Comparator.comparing((StoredBuild b) -> b.build().createdAt()).thenComparing(StoredBuild::id));
      List<StoredBuild> claimed = new ArrayList<>();
      for (StoredBuild b : candidates) {
        if (claimed.size() >= max) {
          break;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Pending', owner = ?,"
            + " lease_until = ? WHERE id = ? AND phase = 'New'")) {
          ps.setString(1, owner);
          ps.setLong(2, now + lease.toMillis());
          ps.setLong(3, b.id());
          if (ps.executeUpdate() == 1) {
            claimed.add(build(c, b.id()).orElseThrow());
          }
        }
      }
      return claimed;
    });
  }

  @Override
  public void markRunning(long id, Instant startedAt, String executor) {
    update("UPDATE builds SET phase = 'Running', started_at = ?, executor = ? WHERE id = ? AND phase = 'Pending'",
        startedAt.toEpochMilli(), executor, id);
  }

  @Override
  public void updateStages(long id, List<Build.Stage> stages) {
    update("UPDATE builds SET stages = ? WHERE id = ?", ServiceJson.write(stages), id);
  }

  @Override
  public boolean finish(long id, BuildOutcome o, Instant completedAt) {
    return finish(id, null, o, completedAt);
  }

  @Override
  public boolean finish(long id, String owner, BuildOutcome o, Instant completedAt) {
    return tx(c -> {
      Optional<StoredBuild> b = queryBuilds(c, "WHERE id = ? FOR UPDATE", id).stream().findFirst();
      if (b.isEmpty() || b.get().build().phase().isTerminal()
          || (owner != null && !owner.equals(b.get().owner()))) {
        return false;
      }
      Instant started = b.get().build().startedAt();
      try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = ?, reason = ?, message = ?,"
          + " completed_at = ?, duration_ms = ?, stages = ?, revision = ?, image_id = ?, image_digest = ?,"
          + " log_snippet = ?, owner = NULL, lease_until = NULL, upload_path = NULL,"
          + " started_at = COALESCE(started_at, ?), inputs = ? WHERE id = ?")) {
        ps.setString(1, o.phase().name());
        ps.setString(2, o.reason());
        ps.setString(3, o.message());
        ps.setLong(4, completedAt.toEpochMilli());
        setLong(ps, 5, started == null ? null : Duration.between(started, completedAt).toMillis());
        ps.setString(6, o.stages() == null ? null : ServiceJson.write(o.stages()));
        ps.setString(7, o.revision() == null ? null : ServiceJson.write(o.revision()));
        ps.setString(8, o.imageId());
        ps.setString(9, o.imageDigest());
        ps.setString(10, o.logSnippet());
        ps.setLong(11, completedAt.toEpochMilli());
        ps.setString(12, o.inputs() == null ? null : ServiceJson.write(o.inputs()));
        ps.setLong(13, id);
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public int renewLeases(String owner, Duration lease) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET lease_until = ?"
          + " WHERE owner = ? AND phase IN " + ACTIVE)) {
        ps.setLong(1, clock.millis() + lease.toMillis());
        ps.setString(2, owner);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<Long> lostClaims(String owner, java.util.Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return tx(c -> {
      List<Long> held = new ArrayList<>();
      String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM builds WHERE owner = ? AND phase IN " + ACTIVE
          + " AND id IN (" + marks + ")")) {
        ps.setString(1, owner);
        int i = 2;
        for (Long id : ids) {
          ps.setLong(i++, id);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            held.add(rs.getLong(1));
          }
        }
      }
      List<Long> lost = new ArrayList<>(ids);
      lost.removeAll(held);
      return lost;
    });
  }

  @Override
  public void heartbeat(String replica, Instant until) {
    tx(c -> {
      try (PreparedStatement up = c.prepareStatement("UPDATE service_replicas SET heartbeat_until = ? WHERE id = ?")) {
        up.setLong(1, until.toEpochMilli());
        up.setString(2, replica);
        if (up.executeUpdate() == 0) {
          try (PreparedStatement in = c.prepareStatement(
              "INSERT INTO service_replicas (id, heartbeat_until) VALUES (?, ?)")) {
            in.setString(1, replica);
            in.setLong(2, until.toEpochMilli());
            in.executeUpdate();
          }
        }
      }
      return null;
    });
  }

  @Override
  public List<StoredBuild> strandedUploads(Instant now) {
    return tx(c -> queryBuilds(c, "WHERE phase = 'New' AND upload_replica IN"
        + " (SELECT id FROM service_replicas WHERE heartbeat_until < ?)", now.toEpochMilli()));
  }

  @Override
  public boolean failQueued(long id, String reason, String message, Instant now) {
    return tx(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET phase = 'Error', reason = ?, message = ?,"
          + " completed_at = ?, upload_path = NULL WHERE id = ? AND phase = 'New'")) {
        ps.setString(1, reason);
        ps.setString(2, message);
        ps.setLong(3, now.toEpochMilli());
        ps.setLong(4, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<Long> cancelRequests(String owner) {
    return tx(c -> queryBuilds(c, "WHERE owner = ? AND cancel_requested = TRUE AND phase IN " + ACTIVE, owner)
        .stream().map(StoredBuild::id).toList());
  }

  @Override
  public List<StoredBuild> orphans(Optional<String> owner, Instant now) {
    return tx(c -> owner.isPresent()
        ? queryBuilds(c, "WHERE phase IN " + ACTIVE + " AND (owner = ? OR lease_until < ?)", owner.get(),
            now.toEpochMilli())
        : queryBuilds(c, "WHERE phase IN " + ACTIVE + " AND lease_until < ?", now.toEpochMilli()));
  }

  @Override
  public boolean settleOrphan(StoredBuild orphan, boolean rerun, String message, Instant now) {
    return tx(c -> {
      String sql = rerun
          ? "UPDATE builds SET phase = 'New', owner = NULL, lease_until = NULL, started_at = NULL,"
              + " stages = NULL, attempt = attempt + 1, message = ? WHERE id = ? AND phase IN " + ACTIVE
              + " AND COALESCE(owner, '') = ?"
          : "UPDATE builds SET phase = 'Error', reason = '" + BuildReasons.INTERRUPTED + "', message = ?,"
              + " completed_at = " + now.toEpochMilli() + ", owner = NULL, lease_until = NULL, upload_path = NULL,"
              + " duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE " + now.toEpochMilli()
              + " - started_at END WHERE id = ? AND phase IN " + ACTIVE + " AND COALESCE(owner, '') = ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, message);
        ps.setLong(2, orphan.id());
        ps.setString(3, Objects.toString(orphan.owner(), ""));
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void deleteBuild(long id) {
    tx(c -> {
      deleteBuild(c, id);
      return null;
    });
  }

  private static void deleteBuild(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM build_log_lines WHERE build_id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM builds WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }

  @Override
  public List<StoredBuild> prunable(String configName, int keepComplete, int keepFailed) {
    return tx(c -> {
      List<StoredBuild> ended = queryBuilds(c, "WHERE config_name = ? AND phase IN"
          + " ('Complete','Failed','Error','Cancelled') ORDER BY number DESC", configName);
      List<StoredBuild> out = new ArrayList<>();
      int ok = 0;
      int failed = 0;
      for (StoredBuild b : ended) {
        if (b.build().phase() == BuildPhase.Complete) {
          if (++ok > keepComplete) {
            out.add(b);
          }
        } else if (++failed > keepFailed) {
          out.add(b);
        }
      }
      out.sort(Comparator.comparingLong(b -> b.build().number()));
      return out;
    });
  }

  // ------------------------------------------------------------------ logs

  @Override
  public void appendLog(long buildId, List<LogLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO build_log_lines (build_id, seq, at_ms, line) VALUES (?, ?, ?, ?)")) {
        for (LogLine l : lines) {
          ps.setLong(1, buildId);
          ps.setLong(2, l.seq());
          ps.setLong(3, l.time().toEpochMilli());
          ps.setString(4, l.text());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<LogLine> logLines(long buildId, long afterSeq, int max) {
    return tx(c -> readLines(c, "SELECT seq, at_ms, line FROM build_log_lines WHERE build_id = ? AND seq > ?"
        + " ORDER BY seq LIMIT " + Math.max(1, max), buildId, afterSeq));
  }

  @Override
  public List<LogLine> lastLogLines(long buildId, int n) {
    List<LogLine> lines = tx(c -> readLines(c, "SELECT seq, at_ms, line FROM build_log_lines"
        + " WHERE build_id = ? ORDER BY seq DESC LIMIT " + Math.max(1, n), buildId));
    List<LogLine> ordered = new ArrayList<>(lines);
    ordered.sort(Comparator.comparingLong(LogLine::seq));
    return ordered;
  }

  private static List<LogLine> readLines(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<LogLine> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LogLine(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3)));
        }
      }
      return out;
    }
  }

  // ------------------------------------------------------------------ plumbing

  private List<StoredBuild> queryBuilds(Connection c, String tail, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + BUILD_COLUMNS + " FROM builds " + tail)) {
      bind(ps, args);
      List<StoredBuild> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(buildRow(rs));
        }
      }
      return out;
    }
  }

  private static StoredBuild buildRow(ResultSet rs) throws SQLException {
    BuildConfig config = ServiceJson.readTrusted(rs.getString("config_spec"), BuildConfig.class);
    Build build = new Build(
        rs.getString("name"),
        rs.getString("config_name"),
        rs.getLong("number"),
        BuildPhase.valueOf(rs.getString("phase")),
        rs.getString("reason"),
        rs.getString("message"),
        rs.getBoolean("cancel_requested"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "completed_at"),
        longOrNull(rs, "duration_ms"),
        ServiceJson.readTrusted(rs.getString("stages"), STAGES),
        ServiceJson.readTrusted(rs.getString("revision"), Build.Revision.class),
        ServiceJson.readTrusted(rs.getString("triggered_by"), CAUSES),
        rs.getString("output_image"),
        rs.getString("image_digest"),
        rs.getString("image_id"),
        rs.getString("log_snippet"),
        ServiceJson.readTrusted(rs.getString("options"), BuildOptions.class),
        rs.getString("executor"),
        ServiceJson.readTrusted(rs.getString("inputs"), BuildInputs.class));
    return new StoredBuild(rs.getLong("id"), build, config, rs.getString("upload_path"),
        rs.getString("upload_replica"), rs.getString("owner"), instant(rs, "lease_until"), rs.getInt("attempt"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static long count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void update(String sql, Object... args) {
    tx(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, args);
        return ps.executeUpdate();
      }
    });
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState()) || (e.getSQLState() != null && e.getSQLState().startsWith("23"));
  }

  /** Work inside one transaction. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T tx(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = db.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        // Serialization failures and deadlocks between servers are retried a few times.
        String state = e.getSQLState();
        boolean retry = state != null && (state.equals("40001") || state.equals("40P01") || state.equals("HYT00"));
        if (!retry || attempt >= 5) {
          throw new StoreException(e);
        }
      }
    }
  }

  /** A database failure. */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(SQLException cause) {
      super("database error: " + cause.getMessage(), cause);
    }
  }
}
