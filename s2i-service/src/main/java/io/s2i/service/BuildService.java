package io.s2i.service;

import io.s2i.service.logs.LogHub;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.ConfigRules;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.queue.BuildDispatcher;
import io.s2i.service.store.BuildStore;
import io.s2i.service.store.StoredBuild;
import io.s2i.service.uploads.UploadStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the service does, for the HTTP routes, the triggers and the console alike: configurations,
 * starting builds (with the cause recorded), cancelling, reading builds and their logs. Answers
 * never carry a secret.
 */
public final class BuildService {
  private final BuildStore store;
  private final BuildDispatcher dispatcher;
  private final UploadStore uploads;
  private final LogHub logs;
  private final String replicaId;

  /** The service over these parts. */
  public BuildService(BuildStore store, BuildDispatcher dispatcher, UploadStore uploads, LogHub logs,
      String replicaId) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.uploads = uploads;
    this.logs = logs;
    this.replicaId = replicaId;
  }

  /** The store (for the console's and triggers' queries). */
  public BuildStore store() {
    return store;
  }

  /** The logs. */
  public LogHub logs() {
    return logs;
  }

  // ---- configurations

  /** Every configuration, secrets masked. */
  public List<BuildConfig> configs() {
    return store.configs().stream().map(ConfigRules::masked).toList();
  }

  /** One configuration, secrets masked. */
  public BuildConfig config(String name) {
    return ConfigRules.masked(rawConfig(name));
  }

  private BuildConfig rawConfig(String name) {
    return store.config(name).orElseThrow(() -> notFound("build configuration", name));
  }

  /** Creates a configuration; 409 when the name is taken. */
  public BuildConfig create(BuildConfig config) {
    BuildConfig valid = ConfigRules.validate(ConfigRules.restoreSecrets(config, null));
    if (!store.createConfig(valid)) {
      throw new InvalidInputException(409, "build configuration \"" + valid.name()
          + "\" exists: update it with PUT or s2i apply");
    }
    return config(valid.name());
  }

  /** Creates or replaces a configuration; prunes history when its limits went down. */
  public BuildStore.PutResult put(BuildConfig config) {
    Optional<BuildConfig> old = store.config(config.name());
    BuildConfig valid = ConfigRules.validate(ConfigRules.restoreSecrets(config, old.orElse(null)));
    BuildStore.PutResult result = store.putConfig(valid);
    if (result == BuildStore.PutResult.configured) {
      dispatcher.prune(valid.name());
    }
    return result;
  }

  /** Deletes a configuration with its builds, logs and uploads; running builds are stopped. */
  public void delete(String name) {
    ConfigRules.checkName("the build configuration", name);
    for (Build b : store.builds(Optional.of(name), 10_000)) {
      if (!b.phase().isTerminal()) {
        cancel(b.name());
      }
    }
    List<StoredBuild> deleted = store.deleteConfig(name).orElseThrow(() -> notFound("build configuration", name));
    deleted.forEach(b -> uploads.remove(b.uploadPath()));
  }

  // ---- builds

  /**
   * Queues a build of a configuration; what webhooks and image-change triggers call too.
   *
   * @param cause what started it (recorded in the build; never a secret)
   * @param upload the binary input already received (see {@link #receiveUpload}), or null
   */
  public Build start(String configName, BuildOptions options, TriggerCause cause, Path upload) {
    BuildConfig config = rawConfig(configName);
    boolean binary = config.source().type() == BuildConfig.SourceType.Binary;
    if (binary && upload == null) {
      throw new InvalidInputException("build configuration \"" + configName + "\" builds from binary input:"
          + " upload it (s2i start-build --from-file, --from-dir, --from-archive or --from-repo)");
    }
    if (!binary && upload != null) {
      uploads.remove(upload.toString());
      throw new InvalidInputException("build configuration \"" + configName + "\" builds from git, not from"
          + " an upload: set source.type Binary to build uploads");
    }
    checkOptions(options);
    Optional<StoredBuild> created = store.createBuild(configName, options, List.of(cause),
        upload == null ? null : upload.toString(), upload == null ? null : replicaId);
    if (created.isEmpty()) {
      if (upload != null) {
        uploads.remove(upload.toString());
      }
      throw notFound("build configuration", configName);
    }
    dispatcher.wake();
    return masked(created.get().build());
  }

  private static void checkOptions(BuildOptions o) {
    if (o.env() != null) {
      for (EnvEntry e : o.env()) {
        if (e == null || e.name() == null || !e.name().matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
          throw new InvalidInputException("env: " + (e == null ? "null" : "\"" + e.name() + "\"")
              + " is not a variable name");
        }
        if (e.value() == null) {
          throw new InvalidInputException("env " + e.name() + " has no value");
        }
      }
    }
    if (o.commit() != null && (o.commit().isBlank() || o.commit().startsWith("-") || o.commit().length() > 200
        || o.commit().chars().anyMatch(c -> c <= ' '))) {
      throw new InvalidInputException("commit \"" + o.commit() + "\" is not a commit or ref");
    }
  }

  /** Streams an upload to disk (size-limited) for {@link #start}. */
  public Path receiveUpload(InputStream body) throws IOException {
    return uploads.receive(body);
  }

  /** Throws away an upload that no build took. */
  public void discardUpload(Path upload) {
    uploads.remove(upload.toString());
  }

  /** One build, secrets masked. */
  public Build build(String name) {
    return masked(storedBuild(name).build());
  }

  /** A build with what only the server uses. */
  public StoredBuild storedBuild(String name) {
    checkBuildName(name);
    return store.build(name).orElseThrow(() -> notFound("build", name));
  }

  /** Builds, newest first (of one configuration when given; 404 when it does not exist). */
  public List<Build> builds(Optional<String> configName, int limit) {
    configName.ifPresent(this::rawConfig);
    return store.builds(configName, limit).stream().map(BuildService::masked).toList();
  }

  /** A page of builds, newest first, secrets masked (404 when the query's configuration does not exist). */
  public io.s2i.service.store.BuildPage buildPage(io.s2i.service.store.BuildQuery query) {
    query.config().ifPresent(this::rawConfig);
    io.s2i.service.store.BuildPage page = store.buildPage(query);
    return new io.s2i.service.store.BuildPage(page.items().stream().map(BuildService::masked).toList(),
        page.next(), page.total());
  }

  /** The newest build of each configuration that has builds, secrets masked. */
  public java.util.Map<String, Build> latestBuilds() {
    java.util.Map<String, Build> out = new java.util.TreeMap<>();
    store.latestBuilds().forEach((config, b) -> out.put(config, masked(b)));
    return out;
  }

  /** The newest build of a configuration. */
  public Build latestBuild(String configName) {
    rawConfig(configName);
    return store.latestBuild(configName).map(BuildService::masked)
        .orElseThrow(() -> new InvalidInputException(404, "build configuration \"" + configName + "\" has no builds"));
  }

  /** Cancels a build (queued: at once; running: its server stops it). */
  public Build cancel(String name) {
    StoredBuild b = storedBuild(name);
    Optional<BuildPhase> phase = store.requestCancel(name);
    if (phase.isEmpty()) {
      throw notFound("build", name);
    }
    if (phase.get().isTerminal()) {
      throw new InvalidInputException(409, "build " + name + " has already ended (" + phase.get() + ")");
    }
    dispatcher.cancelLocal(b.id());
    return build(name);
  }

  /** Deletes an ended build with its log. */
  public void deleteBuild(String name) {
    StoredBuild b = storedBuild(name);
    if (!b.build().phase().isTerminal()) {
      throw new InvalidInputException(409, "build " + name + " is " + b.build().phase() + ": cancel it first");
    }
    store.deleteBuild(b.id());
    uploads.remove(b.uploadPath());
  }

  /** Whether a build has ended, as the store has it (gone counts as ended). */
  public boolean ended(long buildId) {
    return store.build(buildId).map(b -> b.build().phase().isTerminal()).orElse(true);
  }

  private static Build masked(Build b) {
    if (b.options() == null) {
      return b;
    }
    return new Build(b.name(), b.config(), b.number(), b.phase(), b.reason(), b.message(), b.cancelRequested(),
        b.createdAt(), b.startedAt(), b.completedAt(), b.durationMs(), b.stages(), b.revision(), b.triggeredBy(),
        b.outputImage(), b.imageDigest(), b.imageId(), b.logSnippet(), b.options().masked(), b.executor());
  }

  private static void checkBuildName(String name) {
    if (name == null || !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9]{1,18}")) {
      throw new InvalidInputException("invalid build name \"" + (name == null ? "" : name.length() > 60
          ? name.substring(0, 60) + "..." : name) + "\": builds are named CONFIG-NUMBER, e.g. app-7");
    }
  }

  private static InvalidInputException notFound(String what, String name) {
    return new InvalidInputException(404, what + " \"" + name + "\" not found");
  }
}
