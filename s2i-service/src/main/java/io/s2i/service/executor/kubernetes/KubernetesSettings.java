package io.s2i.service.executor.kubernetes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.s2i.service.model.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the kubernetes executor runs builds, read from the YAML file given to {@code s2i serve
 * --kubernetes-config} (every key optional; an unknown key is an error naming it). The cluster and
 * credentials come from the usual places (in a pod: its service account; else {@code KUBECONFIG} or
 * {@code ~/.kube/config}).
 *
 * @param namespace where the Jobs, ConfigMaps and Secrets go; empty: the client's namespace
 * @param image s2i's image (the CLI with its daemonless engine; runs {@code s2i openshift-build})
 * @param imagePullPolicy the image's pull policy (default IfNotPresent)
 * @param serverUrl where build pods fetch binary input from this server (its own address, not a
 *     load-balanced one: the upload is on this replica's disk); empty: the URL the server listens on
 * @param instance tells apart several s2i services sharing a namespace: each clears up only its own
 *     Jobs (label {@code s2i.io/instance})
 * @param serviceAccountName the build pods' service account (they need no API access; its token is
 *     not mounted)
 * @param resources requests and limits of the build container
 * @param nodeSelector where build pods may run
 * @param tolerations taints build pods tolerate
 * @param securityContext the build container's (default {@link #leastPrivilege()}: CAP_SYS_ADMIN, as
 *     docs/container.md measured; OpenShift's build pods run privileged)
 * @param ttlSecondsAfterFinished how long a finished Job (with its pod and log) stays for kubectl
 * @param activeDeadlineSeconds the longest a build may take, waiting for a node included
 * @param deletePropagation how a cancelled build's Job is deleted: Background or Foreground
 * @param pollMillis how often a running build's Job and pod are read
 * @param janitorSeconds how often Jobs of ended or deleted builds are looked for
 * @param buildLogLevel {@code BUILD_LOGLEVEL} of the build pods (0-5)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record KubernetesSettings(
    String namespace,
    String image,
    String imagePullPolicy,
    String serverUrl,
    String instance,
    String serviceAccountName,
    ResourceRequirements resources,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    SecurityContext securityContext,
    Long ttlSecondsAfterFinished,
    Long activeDeadlineSeconds,
    String deletePropagation,
    Long pollMillis,
    Long janitorSeconds,
    Integer buildLogLevel) {

  /** The image when none is configured: what scripts/build-s2i-image.sh makes. */
  public static final String DEFAULT_IMAGE = "localhost/s2i-java/s2i:latest";

  /** Every default filled in, values checked. */
  public KubernetesSettings {
    image = blankToNull(image) == null ? DEFAULT_IMAGE : image.strip();
    imagePullPolicy = blankToNull(imagePullPolicy) == null ? "IfNotPresent" : imagePullPolicy;
    if (!List.of("Always", "IfNotPresent", "Never").contains(imagePullPolicy)) {
      throw invalid("imagePullPolicy " + imagePullPolicy + " is not Always, IfNotPresent or Never");
    }
    namespace = blankToNull(namespace);
    serverUrl = blankToNull(serverUrl);
    if (serverUrl != null && !serverUrl.matches("https?://[^/\\s]+(/\\S*)?")) {
      throw invalid("serverUrl " + serverUrl + " is not an http(s) URL");
    }
    if (serverUrl != null && serverUrl.endsWith("/")) {
      serverUrl = serverUrl.substring(0, serverUrl.length() - 1);
    }
    instance = blankToNull(instance) == null ? "default" : instance;
    if (!instance.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw invalid("instance " + instance + " is not a label value (lower case letters, digits, dashes)");
    }
    serviceAccountName = blankToNull(serviceAccountName);
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    if (securityContext == null) {
      securityContext = leastPrivilege();
    }
    ttlSecondsAfterFinished = positive("ttlSecondsAfterFinished", ttlSecondsAfterFinished, 3600L);
    activeDeadlineSeconds = positive("activeDeadlineSeconds", activeDeadlineSeconds, 3600L);
    deletePropagation = blankToNull(deletePropagation) == null ? "Background" : deletePropagation;
    if (!List.of("Background", "Foreground").contains(deletePropagation)) {
      throw invalid("deletePropagation " + deletePropagation + " is not Background or Foreground");
    }
    pollMillis = positive("pollMillis", pollMillis, 1000L);
    janitorSeconds = positive("janitorSeconds", janitorSeconds, 60L);
    buildLogLevel = buildLogLevel == null ? 0 : buildLogLevel;
    if (buildLogLevel < 0 || buildLogLevel > 5) {
      throw invalid("buildLogLevel " + buildLogLevel + " is not 0 to 5");
    }
    if (resources != null) {
      checkQuantities("resources.requests", resources.getRequests());
      checkQuantities("resources.limits", resources.getLimits());
    }
  }

  /**
   * What s2i's image needs to build with its daemonless engine, and no more (docs/container.md):
   * root in the container with CAP_SYS_ADMIN added (to mount the build containers' file systems and
   * make their namespaces), the runtime's default seccomp profile, and a root file system that is
   * not written to (the pod mounts emptyDirs at /tmp, /run and /var/cache/s2i).
   */
  public static SecurityContext leastPrivilege() {
    return new SecurityContextBuilder().withRunAsUser(0L).withNewCapabilities().addToAdd("SYS_ADMIN").endCapabilities()
        .withReadOnlyRootFilesystem(true).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** The defaults: every key unset. */
  public static KubernetesSettings defaults() {
    return new KubernetesSettings(null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  /**
   * Reads settings from a YAML file.
   *
   * @throws InvalidInputException naming the file and what is wrong with it
   */
  public static KubernetesSettings load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("--kubernetes-config " + file + " is not a file");
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    String text = Files.readString(file);
    if (text.isBlank()) {
      return defaults();
    }
    try {
      KubernetesSettings s = yaml.readValue(text, KubernetesSettings.class);
      return s == null ? defaults() : s;
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException(file + ": " + path(e) + " is not a setting of the kubernetes executor"
          + " (see docs/kubernetes.md)");
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvalidInputException i) {
        throw new InvalidInputException(file + ": " + i.getMessage());
      }
      throw new InvalidInputException(file + ": " + path(e) + ": " + e.getOriginalMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException(file + " is not YAML: " + e.getOriginalMessage());
    }
  }

  /** This with the server URL replaced (s2i serve --server-url). */
  public KubernetesSettings withServerUrl(String url) {
    return new KubernetesSettings(namespace, image, imagePullPolicy, url, instance, serviceAccountName, resources,
        nodeSelector, tolerations, securityContext, ttlSecondsAfterFinished, activeDeadlineSeconds,
        deletePropagation, pollMillis, janitorSeconds, buildLogLevel);
  }

  /** This with the image replaced (s2i serve --kubernetes-image). */
  public KubernetesSettings withImage(String newImage) {
    return new KubernetesSettings(namespace, newImage, imagePullPolicy, serverUrl, instance, serviceAccountName,
        resources, nodeSelector, tolerations, securityContext, ttlSecondsAfterFinished, activeDeadlineSeconds,
        deletePropagation, pollMillis, janitorSeconds, buildLogLevel);
  }

  /** The poll interval. */
  public Duration poll() {
    return Duration.ofMillis(pollMillis);
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "the document" : b.toString();
  }

  private static void checkQuantities(String where, Map<String, Quantity> quantities) {
    if (quantities == null) {
      return;
    }
    quantities.forEach((k, v) -> {
      try {
        Quantity.getAmountInBytes(v);
      } catch (RuntimeException e) {
        throw invalid(where + "." + k + " " + v + " is not a quantity (e.g. 500m, 2Gi)");
      }
    });
  }

  private static Long positive(String name, Long value, long fallback) {
    if (value == null) {
      return fallback;
    }
    if (value <= 0) {
      throw invalid(name + " must be positive, not " + value);
    }
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static InvalidInputException invalid(String what) {
    return new InvalidInputException(what);
  }
}
