package io.s2i.service.store;

import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.TriggerCause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the service keeps: configurations, builds, their logs. Safe for several servers on
 * one database: builds are claimed with row locks ({@code SKIP LOCKED}) and held with a lease that
 * the running server renews, so a build runs once and one whose server died is found.
 */
public interface BuildStore {

  /** What {@link #putConfig} did. */
  enum PutResult { created, configured, unchanged }

  // ---- configurations

  /** The configuration, with its status. */
  Optional<BuildConfig> config(String name);

  /** Every configuration, by name. */
  List<BuildConfig> configs();

  /** Creates a configuration; false when one of that name exists. */
  boolean createConfig(BuildConfig config);

  /** Creates or replaces a configuration. */
  PutResult putConfig(BuildConfig config);

  /**
   * Deletes a configuration and every build of it (with logs).
   *
   * @return the builds deleted, so that their uploads can be removed; empty if there was none
   */
  Optional<List<StoredBuild>> deleteConfig(String name);

  // ---- builds

  /**
   * Queues a new build of {@code configName}, numbered after its last one, with the
   * configuration as it is now. With run policy SerialLatestOnly, older queued builds of it are
   * cancelled in the same transaction.
   *
   * @return the new build, or empty when the configuration does not exist
   */
  Optional<StoredBuild> createBuild(String configName, BuildOptions options, List<TriggerCause> causes,
      String uploadPath, String uploadReplica);

  /** A build by name. */
  Optional<StoredBuild> build(String name);

  /** A build by id. */
  Optional<StoredBuild> build(long id);

  /** Builds, newest first; of one configuration when given. */
  List<Build> builds(Optional<String> configName, int limit);

  /** The newest build of a configuration. */
  Optional<Build> latestBuild(String configName);

  /** A page of builds, newest first (the console's and the API's paged lists). */
  BuildPage buildPage(BuildQuery query);

  /** The newest build of each configuration that has builds, by configuration name. */
  java.util.Map<String, Build> latestBuilds();

  /** How many builds are in each phase (phases with none are left out). */
  java.util.Map<BuildPhase, Long> phaseCounts();

  /**
   * Asks for a build to be cancelled: a queued one is cancelled at once, a running one is flagged
   * for its server to stop.
   *
   * @return the phase before the call (New: it is now Cancelled), or empty when there is no such build
   */
  Optional<BuildPhase> requestCancel(String name);

  /**
   * Claims up to {@code max} queued builds for {@code owner}, honouring each configuration's run
   * policy across all servers, and marks them Pending with a lease.
   */
  List<StoredBuild> claim(String owner, int max, Duration lease);

  /** The build started running, on {@code executor}. */
  void markRunning(long id, Instant startedAt, String executor);

  /** Records the stages seen so far. */
  void updateStages(long id, List<Build.Stage> stages);

  /** Records the build's end, unless it has ended already. */
  boolean finish(long id, BuildOutcome outcome, Instant completedAt);

  /**
   * Records the end of a build {@code owner} runs, only while it is still {@code owner}'s: a
   * server whose lease ran out (a long pause, a lost connection) must not overwrite what the server
   * that settled or took over the build recorded.
   *
   * @return false when the build has ended or is no longer {@code owner}'s
   */
  boolean finish(long id, String owner, BuildOutcome outcome, Instant completedAt);

  /**
   * Of {@code ids}, the builds that are no longer running under {@code owner}'s claim (settled,
   * re-queued or claimed by another server after the lease ran out, or deleted).
   */
  List<Long> lostClaims(String owner, java.util.Collection<Long> ids);

  /** Renews the leases of {@code owner}'s running builds; returns how many. */
  int renewLeases(String owner, Duration lease);

  /** Records that server {@code replica} is alive until {@code until}. */
  void heartbeat(String replica, Instant until);

  /**
   * Queued binary builds whose upload is on a server whose heartbeat ran out before {@code now}:
   * no other server can run them.
   */
  List<StoredBuild> strandedUploads(Instant now);

  /** Marks a still-queued build Error with this reason and message; false when it was no longer queued. */
  boolean failQueued(long id, String reason, String message, Instant now);

  /** Names of {@code owner}'s builds that a user asked to cancel. */
  List<Long> cancelRequests(String owner);

  /** Running or pending builds of {@code owner}, or with a lease that ran out. */
  List<StoredBuild> orphans(Optional<String> owner, Instant now);

  /**
   * Settles an interrupted build: to Error with a reason, or back to New for a re-run. Only
   * when it is still in the phase and with the owner seen (another server may have settled it).
   */
  boolean settleOrphan(StoredBuild orphan, boolean rerun, String message, Instant now);

  /** Deletes a build and its log. */
  void deleteBuild(long id);

  /**
   * The ended builds of a configuration beyond its history limits (oldest first): completed ones
   * past {@code keepComplete}, failed/errored/cancelled ones past {@code keepFailed}.
   */
  List<StoredBuild> prunable(String configName, int keepComplete, int keepFailed);

  // ---- logs

  /** Appends lines to a build's log. */
  void appendLog(long buildId, List<LogLine> lines);

  /** Lines after {@code afterSeq}, at most {@code max}. */
  List<LogLine> logLines(long buildId, long afterSeq, int max);

  /** The last {@code n} lines. */
  List<LogLine> lastLogLines(long buildId, int n);
}
