package io.s2i.service;

import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.Database;
import io.s2i.service.store.JdbcBuildStore;
import io.s2i.service.store.LogLine;
import io.s2i.service.store.StoredBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fills a server's embedded database with ended builds before the server starts (so its queue
 * finds nothing to run): configurations, builds in every ended phase with stages, revisions,
 * digests and causes, and their logs. For the console's paging tests and its timing bench.
 */
public final class BuildSeeder {
  private BuildSeeder() {}

  /**
   * Seeds {@code builds} ended builds spread over {@code configs} configurations, each with a log
   * of {@code logLines} lines.
   */
  public static void seed(Path dataDir, int configs, int builds, int logLines) throws Exception {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    try (Database db = Database.embedded(dataDir, 4)) {
      JdbcBuildStore store = new JdbcBuildStore(db);
      for (int c = 0; c < configs; c++) {
        store.createConfig(ServiceJson.readInput(ServiceJson.json(), """
            {"name": "seed-%d", "source": {"git": {"uri": "https://git.example.invalid/team/app-%d.git", "ref": "main"}},
             "strategy": {"builderImage": "localhost/s2i-test/builder:latest", "pullPolicy": "Never"},
             "output": {"image": "localhost/s2i-bench/app-%d:latest"},
             "triggers": [{"type": "Generic", "secret": "seed-secret-%d"}, {"type": "ImageChange"}],
             "runPolicy": "Parallel", "successfulBuildsHistoryLimit": 10000, "failedBuildsHistoryLimit": 10000}
            """.formatted(c, c, c, c), BuildConfig.class));
      }
      BuildPhase[] phases = {BuildPhase.Complete, BuildPhase.Complete, BuildPhase.Complete, BuildPhase.Failed,
          BuildPhase.Cancelled, BuildPhase.Complete, BuildPhase.Error};
      Instant base = Instant.now().minusSeconds(builds * 60L);
      try (Connection conn = db.dataSource().getConnection();
           PreparedStatement times = conn.prepareStatement(
               "UPDATE builds SET created_at = ?, started_at = ?, completed_at = ?, duration_ms = ? WHERE id = ?")) {
        for (int i = 0; i < builds; i++) {
          String config = "seed-" + (i % configs);
          StoredBuild b = store.createBuild(config, BuildOptions.none(), List.of(i % 3 == 0
              ? new TriggerCause("GitHub", "GitHub WebHook", Map.of("commit", commit(i))) : TriggerCause.manual()),
              null, null).orElseThrow();
          BuildPhase phase = phases[i % phases.length];
          Instant start = base.plusSeconds(i * 60L);
          long ms = 20_000 + (i * 7919L) % 40_000;
          List<Build.Stage> stages = stages(start, ms);
          List<LogLine> log = new ArrayList<>();
          for (int n = 1; n <= logLines; n++) {
            log.add(new LogLine(n, start.plusMillis(n * 10L), n == logLines && phase == BuildPhase.Failed
                ? "error: assemble failed with exit code 1" : "---> step " + n + " of " + b.build().name()));
          }
          store.appendLog(b.id(), log);
          store.finish(b.id(), new BuildOutcome(phase, phase == BuildPhase.Complete ? null : phase.name() + "Reason",
              phase == BuildPhase.Complete ? "Build completed" : "Build " + phase, stages,
              new Build.Revision(commit(i), "main", "Seeder <seed@example.invalid>", "change " + i),
              "sha256:" + "1".repeat(64), phase == BuildPhase.Complete ? "sha256:" + hex(i) : null, null),
              start.plusMillis(ms));
          times.setLong(1, start.minusSeconds(2).toEpochMilli());
          times.setLong(2, start.toEpochMilli());
          times.setLong(3, start.plusMillis(ms).toEpochMilli());
          times.setLong(4, ms);
          times.setLong(5, b.id());
          times.executeUpdate();
        }
      }
    }
  }

  private static List<Build.Stage> stages(Instant start, long ms) {
    long fetch = ms / 10;
    long pull = ms / 10;
    long build = ms - fetch - pull - 500;
    return List.of(
        new Build.Stage("FetchInputs", start, fetch, List.of(new Build.Step("FetchSource", start, fetch, true))),
        new Build.Stage("PullImages", start.plusMillis(fetch), pull,
            List.of(new Build.Step("PullBuilderImage", start.plusMillis(fetch), pull, true))),
        new Build.Stage("Build", start.plusMillis(fetch + pull), build, List.of(
            new Build.Step("Assemble", start.plusMillis(fetch + pull), build - 400, true),
            new Build.Step("CommitImage", start.plusMillis(fetch + pull + build - 400), 400, true))));
  }

  private static String commit(int i) {
    return hex(i).substring(0, 40);
  }

  private static String hex(int i) {
    String h = Integer.toHexString(i * 2654435 + 17);
    return (h.repeat(64 / h.length() + 1)).substring(0, 64);
  }
}
