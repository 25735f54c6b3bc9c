package io.s2i.service.executor.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.service.executor.RequestMapper;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.store.StoredBuild;
import java.util.List;
import java.util.Optional;

/**
 * A build as an OpenShift {@code Build} object (build.openshift.io/v1, JSON): what the build pod's
 * {@code BUILD} variable carries, as OpenShift's builder image ({@code openshift-sti-build}) reads
 * it, so that s2i's image runs it with {@code s2i openshift-build}.
 *
 * <p>Binary input is fetched into {@link #INPUTS} by the pod's init container; the Build names that
 * directory as its source ({@code file://}), a Git source for a repository upload (built at the
 * commit asked for) and a copied directory for everything else, because s2i's image builds Git
 * sources only.
 */
public final class BuildDocument {
  /** Where the init container puts binary input (OpenShift's build pods use the same place). */
  public static final String INPUTS = "/tmp/build/inputs";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BuildDocument() {}

  /**
   * What the kubernetes executor cannot run of this configuration, as one line; empty when it can
   * run it.
   */
  public static Optional<String> unsupported(BuildConfig config) {
    BuildConfig.Strategy s = config.strategy();
    if (s.type() == BuildConfig.StrategyType.Docker) {
      return Optional.of("the Docker strategy is not run by the kubernetes executor (s2i's image runs Source"
          + " builds). Fix: run it with the local executor, or use the Source strategy");
    }
    if (Boolean.TRUE.equals(s.detect())) {
      return Optional.of("builder detection (strategy.detect) is not run by the kubernetes executor."
          + " Fix: name the builder in strategy.builderImage, or run it with the local executor");
    }
    if (s.runtimeImage() != null) {
      return Optional.of("strategy.runtimeImage is not run by the kubernetes executor (an OpenShift Build has"
          + " no runtime image). Fix: run it with the local executor");
    }
    return Optional.empty();
  }

  /**
   * The Build object of {@code b}.
   *
   * @param namespace the namespace its Job runs in
   * @param pushSecret the name of the Secret with the push credentials, or null
   */
  public static ObjectNode of(StoredBuild b, String namespace, String pushSecret) {
    BuildConfig config = b.config();
    BuildOptions options = b.build().options() == null ? BuildOptions.none() : b.build().options();
    ObjectNode doc = JSON.createObjectNode();
    doc.put("kind", "Build");
    doc.put("apiVersion", "build.openshift.io/v1");
    ObjectNode meta = doc.putObject("metadata");
    meta.put("name", b.build().name());
    meta.put("namespace", namespace);
    meta.putObject("labels").put("openshift.io/build-config.name", config.name())
        .put("openshift.io/build.start-policy", config.effectiveRunPolicy().name());
    ObjectNode annotations = meta.putObject("annotations").put("openshift.io/build-config.name", config.name())
        .put("openshift.io/build.number", Long.toString(b.build().number()));
    // s2i openshift-build gives these to assemble only: a secret's value is never kept in the image.
    String buildOnly = RequestMapper.env(config, options).stream().filter(EnvEntry::secret).map(EnvEntry::name)
        .distinct().collect(java.util.stream.Collectors.joining(","));
    if (!buildOnly.isEmpty()) {
      annotations.put("s2i.io/build-only-env", buildOnly);
    }

    ObjectNode spec = doc.putObject("spec");
    ObjectNode source = spec.putObject("source");
    source.put("type", "Git");
    ObjectNode git = source.putObject("git");
    String commit = options.commit();
    if (config.source().type() == BuildConfig.SourceType.Binary) {
      git.put("uri", "file://" + INPUTS);
      boolean repo = options.binary() != null && "repo".equals(options.binary().kind());
      commit = repo ? options.commit() : null;
    } else {
      git.put("uri", config.source().git().uri());
      if (config.source().git().ref() != null && !config.source().git().ref().isBlank()) {
        git.put("ref", config.source().git().ref());
      }
    }
    if (config.source().contextDir() != null && !config.source().contextDir().isBlank()) {
      source.put("contextDir", config.source().contextDir());
    }
    if (commit != null) {
      spec.putObject("revision").put("type", "Git").putObject("git").put("commit", commit);
    }

    BuildConfig.Strategy s = config.strategy();
    ObjectNode strategy = spec.putObject("strategy");
    strategy.put("type", "Source");
    ObjectNode ss = strategy.putObject("sourceStrategy");
    ss.putObject("from").put("kind", "DockerImage").put("name", s.builderImage());
    List<EnvEntry> env = RequestMapper.env(config, options);
    if (!env.isEmpty()) {
      ArrayNode e = ss.putArray("env");
      env.forEach(v -> e.addObject().put("name", v.name()).put("value", v.value()));
    }
    if (s.scriptsUrl() != null) {
      ss.put("scripts", s.scriptsUrl());
    }
    boolean incremental = options.incremental() != null ? options.incremental() : Boolean.TRUE.equals(s.incremental());
    if (incremental) {
      ss.put("incremental", true);
    }
    if (Boolean.TRUE.equals(s.forcePull()) || s.pullPolicy() == BuildConfig.PullPolicy.Always) {
      ss.put("forcePull", true);
    }

    ObjectNode output = spec.putObject("output");
    output.putObject("to").put("kind", "DockerImage").put("name", config.output().image());
    if (pushSecret != null) {
      output.putObject("pushSecret").put("name", pushSecret);
    }
    ArrayNode causes = spec.putArray("triggeredBy");
    List<TriggerCause> triggered = b.build().triggeredBy() == null ? List.of() : b.build().triggeredBy();
    for (TriggerCause c : triggered) {
      causes.addObject().put("message", c.message() == null ? "Manually triggered" : c.message());
    }
    ObjectNode status = doc.putObject("status");
    status.put("phase", "New");
    status.put("outputDockerImageReference", config.output().image());
    return doc;
  }

  /** Whether the Build carries a secret (env marked secret): then it goes in a Secret, not a ConfigMap. */
  public static boolean holdsSecrets(StoredBuild b) {
    BuildOptions options = b.build().options() == null ? BuildOptions.none() : b.build().options();
    return RequestMapper.env(b.config(), options).stream().anyMatch(EnvEntry::secret);
  }
}
