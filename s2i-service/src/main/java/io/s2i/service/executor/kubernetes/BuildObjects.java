package io.s2i.service.executor.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.store.StoredBuild;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes objects of one build: the Job, the build's spec (a ConfigMap, or a Secret when it
 * holds a secret env value), the push credentials (a {@code kubernetes.io/dockerconfigjson}
 * Secret) and, for binary input, the one-time token (a Secret). The pod is OpenShift's build pod as
 * s2i's image runs it: an init container {@code fetch-input} ({@code s2i fetch-input}) for binary
 * input, then the container {@code sti-build} ({@code s2i openshift-build}) with the Build in
 * {@code BUILD} and the push secret at {@code PUSH_DOCKERCFG_PATH}.
 *
 * @param job the Job
 * @param spec the ConfigMap or Secret holding the Build object (key {@link #BUILD_KEY})
 * @param pushSecret the push credentials, if the configuration has some
 * @param inputSecret the input token, for binary builds
 */
public record BuildObjects(Job job, HasMetadata spec, Optional<Secret> pushSecret, Optional<Secret> inputSecret) {
  /** Label on everything the executor makes. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** The value of {@link #MANAGED_BY}. */
  public static final String MANAGER = "s2i";
  /** Label: the s2i service installation (settings' instance). */
  public static final String INSTANCE = "s2i.io/instance";
  /** Label: the build's row id. */
  public static final String BUILD_ID = "s2i.io/build-id";
  /** Label: the build's configuration. */
  public static final String BUILD_CONFIG = "s2i.io/build-config";
  /** Annotation: the build's name. */
  public static final String BUILD_NAME = "s2i.io/build";
  /** Annotation: the attempt the Job runs. */
  public static final String ATTEMPT = "s2i.io/attempt";
  /** The key of the Build object in the spec ConfigMap or Secret. */
  public static final String BUILD_KEY = "build.json";
  /** The build container. */
  public static final String BUILD_CONTAINER = "sti-build";
  /** The init container that fetches binary input. */
  public static final String FETCH_CONTAINER = "fetch-input";
  static final String PUSH_MOUNT = "/var/run/secrets/openshift.io/push";
  static final String TOKEN_MOUNT = "/var/run/secrets/s2i.io/input";
  static final String WORKDIR = "/tmp/build";
  static final String CACHE = "/var/cache/s2i";

  /** The Job's name: {@code s2i-BUILD} (with {@code -aN} for a re-run), at most 52 characters. */
  public static String jobName(StoredBuild b) {
    String base = "s2i-" + b.build().name() + (b.attempt() > 1 ? "-a" + b.attempt() : "");
    if (base.length() <= 52) {
      return base;
    }
    // A pod is named after its Job plus 6 characters, and label values stop at 63.
    String hash = sha256(base).substring(0, 8);
    String cut = base.substring(0, 52 - 9);
    while (cut.endsWith("-")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "-" + hash;
  }

  /** The labels that find every object of a build. */
  public static Map<String, String> labels(StoredBuild b, KubernetesSettings s) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(MANAGED_BY, MANAGER);
    l.put(INSTANCE, s.instance());
    l.put(BUILD_ID, Long.toString(b.id()));
    l.put(BUILD_CONFIG, b.build().config());
    return l;
  }

  /**
   * The objects of build {@code b}.
   *
   * @param serverUrl this server's URL as build pods reach it
   * @param inputToken the one-time input token, for binary builds (else null)
   */
  public static BuildObjects of(StoredBuild b, KubernetesSettings s, String namespace, String serverUrl,
      String inputToken) {
    String name = jobName(b);
    Map<String, String> labels = labels(b, s);
    Map<String, String> annotations = Map.of(BUILD_NAME, b.build().name(), ATTEMPT, Integer.toString(b.attempt()));
    BuildConfig config = b.config();

    Optional<Secret> push = Optional.empty();
    BuildConfig.Credentials creds = config.output() == null ? null : config.output().credentials();
    if (creds != null && creds.username() != null && creds.password() != null) {
      push = Optional.of(new SecretBuilder().withMetadata(meta(name + "-push", namespace, labels, annotations))
          .withType("kubernetes.io/dockerconfigjson")
          .withImmutable(true)
          .addToStringData(".dockerconfigjson", dockerConfig(config.output().image(), creds))
          .build());
    }
    String buildJson = BuildDocument.of(b, namespace, push.map(p -> p.getMetadata().getName()).orElse(null)).toString();
    boolean secretSpec = BuildDocument.holdsSecrets(b);
    HasMetadata spec = secretSpec
        ? new SecretBuilder().withMetadata(meta(name + "-build", namespace, labels, annotations)).withType("Opaque")
            .withImmutable(true).addToStringData(BUILD_KEY, buildJson).build()
        : new ConfigMapBuilder().withMetadata(meta(name + "-build", namespace, labels, annotations))
            .withImmutable(true).addToData(BUILD_KEY, buildJson).build();

    boolean binary = config.source().type() == BuildConfig.SourceType.Binary;
    Optional<Secret> input = !binary ? Optional.empty()
        : Optional.of(new SecretBuilder().withMetadata(meta(name + "-input", namespace, labels, annotations))
            .withType("Opaque").withImmutable(true).addToStringData("token", inputToken).build());

    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("buildworkdir").withNewEmptyDir().endEmptyDir().build());
    // The daemonless engine's images and containers: on the node's disk, not in the image's layers.
    volumes.add(new VolumeBuilder().withName("s2i-cache").withNewEmptyDir().endEmptyDir().build());
    // With a read-only root file system: the JVM's and the build's temporary files, the runtime's state.
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName("run").withNewEmptyDir().withMedium("Memory").endEmptyDir().build());
    push.ifPresent(p -> volumes.add(new VolumeBuilder().withName("push-secret").withNewSecret()
        .withSecretName(p.getMetadata().getName()).withDefaultMode(0400).endSecret().build()));
    input.ifPresent(i -> volumes.add(new VolumeBuilder().withName("input-token").withNewSecret()
        .withSecretName(i.getMetadata().getName()).withDefaultMode(0400).endSecret().build()));

    List<EnvVar> env = new ArrayList<>();
    env.add(secretSpec
        ? new EnvVarBuilder().withName("BUILD").withNewValueFrom().withNewSecretKeyRef(BUILD_KEY, name + "-build", false)
            .endValueFrom().build()
        : new EnvVarBuilder().withName("BUILD").withNewValueFrom().withNewConfigMapKeyRef(BUILD_KEY, name + "-build", false)
            .endValueFrom().build());
    if (push.isPresent()) {
      env.add(new EnvVar("PUSH_DOCKERCFG_PATH", PUSH_MOUNT, null));
    }
    if (s.buildLogLevel() > 0) {
      env.add(new EnvVar("BUILD_LOGLEVEL", Integer.toString(s.buildLogLevel()), null));
    }
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("tmp", "/tmp", false));
    mounts.add(mount("run", "/run", false));
    mounts.add(mount("buildworkdir", WORKDIR, false));
    mounts.add(mount("s2i-cache", CACHE, false));
    push.ifPresent(p -> mounts.add(mount("push-secret", PUSH_MOUNT, true)));
    Container build = new ContainerBuilder().withName(BUILD_CONTAINER).withImage(s.image())
        .withImagePullPolicy(s.imagePullPolicy())
        .withArgs("openshift-build")
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withResources(s.resources())
        .withSecurityContext(s.securityContext())
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();

    PodSpecBuilder pod = new PodSpecBuilder().withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withServiceAccountName(s.serviceAccountName())
        .withNodeSelector(s.nodeSelector().isEmpty() ? null : s.nodeSelector())
        .withTolerations(s.tolerations().isEmpty() ? null : s.tolerations())
        .withVolumes(volumes)
        .withContainers(build);
    if (binary) {
      pod.withInitContainers(fetchInput(b, s, serverUrl));
    }
    Job job = new JobBuilder()
        .withMetadata(meta(name, namespace, labels, annotations))
        .withNewSpec()
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(s.activeDeadlineSeconds())
          .withTtlSecondsAfterFinished(s.ttlSecondsAfterFinished().intValue())
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
            .withSpec(pod.build())
          .endTemplate()
        .endSpec()
        .build();
    return new BuildObjects(job, spec, push, input);
  }

  private static Container fetchInput(StoredBuild b, KubernetesSettings s, String serverUrl) {
    BuildOptions.BinaryInput in = b.build().options() == null ? null : b.build().options().binary();
    List<String> args = new ArrayList<>(List.of("fetch-input",
        "--from", serverUrl + "/executor/v1/builds/" + b.build().name() + "/input",
        "--token-file", TOKEN_MOUNT + "/token",
        "--kind", in == null ? "archive" : in.kind(),
        "--into", BuildDocument.INPUTS));
    String asFile = b.config().source().binary() == null ? null : b.config().source().binary().asFile();
    String fileName = asFile != null ? asFile : in == null ? null : in.fileName();
    if (in != null && "file".equals(in.kind()) && fileName != null) {
      args.addAll(List.of("--name", fileName));
    }
    return new ContainerBuilder().withName(FETCH_CONTAINER).withImage(s.image())
        .withImagePullPolicy(s.imagePullPolicy())
        .withArgs(args)
        .withVolumeMounts(mount("tmp", "/tmp", false), mount("buildworkdir", WORKDIR, false),
            mount("input-token", TOKEN_MOUNT, true))
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
            .addToLimits("memory", new Quantity("512Mi")).build())
        // Fetching and unpacking needs no privilege at all.
        .withSecurityContext(new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true).withNewCapabilities().addToDrop("ALL").endCapabilities().build())
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build();
  }

  private static ObjectMeta meta(String name, String namespace, Map<String, String> labels,
      Map<String, String> annotations) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels)
        .withAnnotations(annotations).build();
  }

  /** A Docker config with the credentials for the registry of {@code image}. */
  static String dockerConfig(String image, BuildConfig.Credentials c) {
    String registry = registryOf(image);
    String auth = Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    Map<String, Object> entry = Map.of("auth", auth);
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("auths", Map.of(registry, entry)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The registry host of an image reference, Docker Hub's for names without one. */
  static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash > 0) {
      String first = image.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return first;
      }
    }
    return "https://index.docker.io/v1/";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The objects other than the Job, for creating before it and deleting after it. */
  public List<HasMetadata> companions() {
    List<HasMetadata> all = new ArrayList<>();
    all.add(spec);
    pushSecret.ifPresent(all::add);
    inputSecret.ifPresent(all::add);
    return all;
  }

  /** The ConfigMap holding the Build, if it is one. */
  public Optional<ConfigMap> specConfigMap() {
    return spec instanceof ConfigMap c ? Optional.of(c) : Optional.empty();
  }
}
