package io.s2i.service.queue;

import io.s2i.service.executor.BuildExecutor;
import io.s2i.service.executor.BuildJob;
import io.s2i.service.executor.BuildReporter;
import io.s2i.service.executor.StageRecorder;
import io.s2i.service.logs.BuildLog;
import io.s2i.service.logs.LogHub;
import io.s2i.service.logs.SecretMasker;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.BuildStore;
import io.s2i.service.store.LogLine;
import io.s2i.service.store.StoredBuild;
import io.s2i.service.uploads.UploadStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue: claims queued builds from the store (as many as this server has room for, by run
 * policy), runs each on a worker thread with the executor, keeps their leases, relays cancel
 * requests, settles builds interrupted by a dead server, and prunes history after each build.
 *
 * <p>Build threads never touch the database: an interrupt (cancel) during a JDBC call could break
 * the connection or the embedded database's file. Their log lines are stored by the log hub's
 * flusher, their stages and phase by this class's own threads.
 */
public final class BuildDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildDispatcher.class);
  private static final long POLL_MILLIS = 500;

  private final BuildStore store;
  private final LogHub logs;
  private final BuildExecutor executor;
  private final UploadStore uploads;
  private final QueueSettings settings;
  private final Clock clock;
  private final ExecutorService workers;
  private final ScheduledExecutorService housekeeping;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private volatile boolean wakeUp;
  private volatile boolean stopping;
  private Thread dispatcher;

  /** A build this server runs. */
  private static final class Running {
    final StoredBuild build;
    final StageRecorder stages;
    volatile Thread thread;
    volatile boolean cancellable = true;
    volatile boolean userCancelled;
    volatile boolean runningReported;
    volatile boolean runningStored;
    /** Its lease ran out and another server settled or took it: nothing more is recorded from here. */
    volatile boolean lost;

    Running(StoredBuild build, StageRecorder stages) {
      this.build = build;
      this.stages = stages;
    }
  }

  /** A dispatcher; {@link #start} begins the work. */
  public BuildDispatcher(BuildStore store, LogHub logs, BuildExecutor executor, UploadStore uploads,
      QueueSettings settings, Clock clock) {
    this.store = store;
    this.logs = logs;
    this.executor = executor;
    this.uploads = uploads;
    this.settings = settings;
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(settings.maxConcurrent(), named("s2i-build"));
    this.housekeeping = Executors.newScheduledThreadPool(1, named("s2i-queue"));
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Settles the builds a previous run of this server left, then starts claiming. */
  public void start() {
    try {
      store.heartbeat(settings.replicaId(), clock.instant().plus(settings.lease()));
    } catch (RuntimeException e) {
      LOG.warn("recording this server's heartbeat failed: {}", e.getMessage());
    }
    settleOrphans(true);
    sweepWorkDirs();
    long beat = Math.max(200, settings.lease().toMillis() / 3);
    housekeeping.scheduleWithFixedDelay(this::renew, beat, beat, TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(this::relayCancels, 500, 500, TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(this::storeProgress, 300, 300, TimeUnit.MILLISECONDS);
    housekeeping.scheduleWithFixedDelay(() -> settleOrphans(false), beat, beat, TimeUnit.MILLISECONDS);
    dispatcher = new Thread(this::loop, "s2i-dispatcher");
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /** Tells the dispatcher to look for queued builds now. */
  public void wake() {
    synchronized (signal) {
      wakeUp = true;
      signal.notifyAll();
    }
  }

  /** Builds running on this server now. */
  public int runningCount() {
    return running.size();
  }

  /** Interrupts a build running here, if it is; returns whether it was. */
  public boolean cancelLocal(long buildId) {
    return interrupt(buildId, true);
  }

  private boolean interrupt(long buildId, boolean byUser) {
    Running r = running.get(buildId);
    if (r == null) {
      return false;
    }
    synchronized (r) {
      r.userCancelled |= byUser;
      Thread t = r.thread;
      if (r.cancellable && t != null) {
        t.interrupt();
      }
    }
    return true;
  }

  private void loop() {
    while (!stopping) {
      try {
        int free = settings.maxConcurrent() - running.size();
        if (free > 0) {
          for (StoredBuild b : store.claim(settings.replicaId(), free, settings.lease())) {
            LOG.info("build {} claimed by {} (attempt {})", b.build().name(), settings.replicaId(), b.attempt());
            Running r = new Running(b, new StageRecorder(clock));
            running.put(b.id(), r);
            workers.submit(() -> runBuild(r));
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("claiming queued builds failed: {}", e.getMessage());
      }
      synchronized (signal) {
        if (!wakeUp && !stopping) {
          try {
            signal.wait(POLL_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
        wakeUp = false;
      }
    }
  }

  private void runBuild(Running r) {
    StoredBuild b = r.build;
    BuildConfig config = b.config();
    List<String> secrets = new ArrayList<>(config.secrets());
    if (b.build().options() != null && b.build().options().env() != null) {
      b.build().options().env().stream().filter(EnvEntry::secret).map(EnvEntry::value).forEach(secrets::add);
    }
    SecretMasker masker = new SecretMasker(secrets);
    BuildLog log = logs.open(b.id(), logs.lastSeq(b), masker);
    Path work = settings.workDir().resolve("build-" + b.id());
    BuildOutcome outcome;
    r.thread = Thread.currentThread();
    try {
      if (b.attempt() > 1) {
        log.append("--- run again (attempt " + b.attempt() + ") after the server running it stopped ---");
      }
      Files.createDirectories(work);
      BuildJob job = new BuildJob(b, Optional.ofNullable(b.uploadPath()).map(Path::of), work);
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("cancelled before it started");
      }
      outcome = executor.run(job, reporter(r, log));
    } catch (InterruptedException e) {
      outcome = stopping && !r.userCancelled
          ? new BuildOutcome(BuildPhase.Error, BuildReasons.INTERRUPTED, "the server was stopped while it ran",
              null, null, null, null, null)
          : new BuildOutcome(BuildPhase.Cancelled, BuildReasons.CANCELLED, "cancelled by a user",
              null, null, null, null, null);
    } catch (IOException | RuntimeException e) {
      LOG.warn("build {} failed unexpectedly", b.build().name(), e);
      outcome = new BuildOutcome(BuildPhase.Error, BuildReasons.GENERIC,
          masker.mask("unexpected error: " + e), null, null, null, null, null);
    } finally {
      synchronized (r) {
        r.cancellable = false;
      }
    }
    Thread.interrupted(); // a cancel that came late must not break the database calls below
    if (r.lost) {
      LOG.warn("build {}: this server's lease on it ran out and another server settled it; its outcome here"
          + " ({}) is not recorded", b.build().name(), outcome.phase());
      logs.abandon(b.id());
      uploads.remove(b.uploadPath());
      deleteTree(work);
      running.remove(b.id());
      wake();
      return;
    }
    try {
      if (outcome.phase() == BuildPhase.Cancelled) {
        log.append("Build cancelled");
      } else if (outcome.phase() != BuildPhase.Complete) {
        log.append("Build " + outcome.phase() + ": " + outcome.reason()
            + (outcome.message() == null ? "" : " (" + outcome.message() + ")"));
      }
      String snippet = outcome.phase() == BuildPhase.Failed || outcome.phase() == BuildPhase.Error
          ? log.tail().stream().map(LogLine::text).collect(Collectors.joining("\n")) : null;
      ensureRunningStored(r);
      store.finish(b.id(), settings.replicaId(), new BuildOutcome(outcome.phase(), outcome.reason(),
          masker.mask(outcome.message()), r.stages.stages(), outcome.revision(), outcome.imageId(), outcome.imageDigest(),
          snippet, outcome.inputs()), clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("recording the end of build {} failed: {}", b.build().name(), e.getMessage());
    } finally {
      logs.close(log);
      uploads.remove(b.uploadPath());
      deleteTree(work);
      running.remove(b.id());
      prune(b.build().config());
      wake();
    }
  }

  private BuildReporter reporter(Running r, BuildLog log) {
    return new BuildReporter() {
      @Override
      public void running() {
        r.runningReported = true;
        // stored by a thread of this class (never the build's, see the class comment), at once
        housekeeping.execute(() -> {
          try {
            ensureRunningStored(r);
          } catch (RuntimeException e) {
            LOG.debug("storing the Running phase failed: {}", e.getMessage());
          }
        });
      }

      @Override
      public void log(String line) {
        log.append(line);
      }

      @Override
      public void stepStarted(String step) {
        r.stages.started(step);
      }

      @Override
      public void stepFinished(String step, Duration duration, boolean succeeded) {
        r.stages.finished(step, duration, succeeded);
      }
    };
  }

  private synchronized void ensureRunningStored(Running r) {
    if (!r.runningStored && r.runningReported) {
      store.markRunning(r.build.id(), clock.instant(), executor.name());
      r.runningStored = true;
    }
  }

  private void storeProgress() {
    for (Running r : running.values()) {
      try {
        ensureRunningStored(r);
        List<io.s2i.service.model.Build.Stage> stages = r.stages.snapshotIfChanged();
        if (stages != null) {
          store.updateStages(r.build.id(), stages);
        }
      } catch (RuntimeException e) {
        LOG.debug("storing progress failed: {}", e.getMessage());
      }
    }
  }

  private void renew() {
    try {
      store.heartbeat(settings.replicaId(), clock.instant().plus(settings.lease()));
    } catch (RuntimeException e) {
      LOG.warn("recording this server's heartbeat failed: {}", e.getMessage());
    }
    try {
      if (!running.isEmpty()) {
        store.renewLeases(settings.replicaId(), settings.lease());
        // A server that could not renew in time (a long pause, a lost database connection) may
        // have lost builds to another server: stop them here so that each runs in one place only.
        for (Long id : store.lostClaims(settings.replicaId(), List.copyOf(running.keySet()))) {
          Running r = running.get(id);
          if (r != null && !r.lost) {
            LOG.warn("build {}: the lease ran out and another server settled it; stopping it here",
                r.build.build().name());
            r.lost = true;
            logs.abandon(id);
            interrupt(id, false);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("renewing build leases failed: {}", e.getMessage());
    }
  }

  private void relayCancels() {
    try {
      if (!running.isEmpty()) {
        store.cancelRequests(settings.replicaId()).forEach(this::cancelLocal);
      }
    } catch (RuntimeException e) {
      LOG.debug("reading cancel requests failed: {}", e.getMessage());
    }
  }

  /**
   * Settles builds whose server died: at start, this server's own (and, on the embedded database,
   * every running one); afterwards, those whose lease ran out.
   */
  private void settleOrphans(boolean atStart) {
    try {
      List<StoredBuild> orphans = atStart && settings.singleProcess()
          ? store.orphans(Optional.of(settings.replicaId()), Instant.ofEpochMilli(Long.MAX_VALUE))
          : store.orphans(atStart ? Optional.of(settings.replicaId()) : Optional.empty(), clock.instant());
      orphans = orphans.stream().filter(o -> !running.containsKey(o.id())).toList();
      if (!atStart) {
        settleStrandedUploads();
      }
      if (orphans.isEmpty()) {
        return;
      }
      List<String> cleaned = executor.cleanUpInterrupted(orphans);
      for (StoredBuild o : orphans) {
        // A binary build's upload is on the disk of the server that received it: another server
        // cannot run it again.
        boolean uploadElsewhere = o.uploadReplica() != null && !o.uploadReplica().equals(settings.replicaId());
        boolean rerun = settings.rerunInterrupted() && !uploadElsewhere;
        String what = rerun ? "queued to run again" : "marked Error"
            + (settings.rerunInterrupted() ? " (its binary input was on that server)" : "");
        String message = "the server running this build (" + o.owner() + ") stopped before it ended; " + what;
        if (store.settleOrphan(o, rerun, message, clock.instant())) {
          long last = logs.lastSeq(o);
          List<LogLine> lines = new ArrayList<>();
          for (String c : cleaned) {
            lines.add(new LogLine(++last, clock.instant(), c));
          }
          lines.add(new LogLine(++last, clock.instant(), "--- " + message + " ---"));
          store.appendLog(o.id(), lines);
          if (!rerun) {
            uploads.remove(o.uploadPath());
            prune(o.build().config());
          }
          LOG.info("build {}: {}", o.build().name(), message);
        }
      }
      wake();
    } catch (RuntimeException e) {
      LOG.warn("settling interrupted builds failed: {}", e.getMessage());
    }
  }

  /** Queued binary builds whose upload is on a server that stopped: no server can run them any more. */
  private void settleStrandedUploads() {
    for (StoredBuild b : store.strandedUploads(clock.instant())) {
      if (b.uploadReplica().equals(settings.replicaId())) {
        continue;
      }
      String message = "its binary input was received by server " + b.uploadReplica()
          + ", which stopped before running it; start the build again";
      if (store.failQueued(b.id(), BuildReasons.INTERRUPTED, message, clock.instant())) {
        long last = logs.lastSeq(b);
        store.appendLog(b.id(), List.of(new LogLine(last + 1, clock.instant(), "--- " + message + " ---")));
        prune(b.build().config());
        LOG.info("build {}: {}", b.build().name(), message);
      }
    }
  }

  /** Deletes the ended builds of a configuration beyond its history limits, with logs and uploads. */
  public void prune(String configName) {
    try {
      Optional<BuildConfig> config = store.config(configName);
      if (config.isEmpty()) {
        return;
      }
      int ok = Optional.ofNullable(config.get().successfulBuildsHistoryLimit()).orElse(BuildConfig.DEFAULT_HISTORY_LIMIT);
      int failed = Optional.ofNullable(config.get().failedBuildsHistoryLimit()).orElse(BuildConfig.DEFAULT_HISTORY_LIMIT);
      for (StoredBuild b : store.prunable(configName, ok, failed)) {
        store.deleteBuild(b.id());
        uploads.remove(b.uploadPath());
      }
    } catch (RuntimeException e) {
      LOG.warn("pruning the builds of {} failed: {}", configName, e.getMessage());
    }
  }

  private void sweepWorkDirs() {
    try (Stream<Path> dirs = Files.list(settings.workDir())) {
      dirs.filter(p -> p.getFileName().toString().startsWith("build-")).forEach(BuildDispatcher::deleteTree);
    } catch (IOException e) {
      // nothing to sweep
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a file the build's container made read-only: make it writable and try again
          p.toFile().setWritable(true);
          p.getParent().toFile().setWritable(true);
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // left for the sweep at the next start
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // left for the sweep at the next start
    }
  }

  /** Stops claiming and interrupts the builds running here; they end as Error (BuildInterrupted). */
  @Override
  public void close() {
    stopping = true;
    wake();
    housekeeping.shutdownNow();
    for (Long id : running.keySet()) {
      interrupt(id, false);
    }
    workers.shutdown();
    try {
      workers.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
