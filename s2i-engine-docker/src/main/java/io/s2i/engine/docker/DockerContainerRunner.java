package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.FailureReason;
import io.s2i.api.LinuxCapabilities;
import io.s2i.api.RunOptions;
import io.s2i.api.VolumeSpecs;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.s2i.internal.fs.ProcessOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates containers on a Docker daemon. Each container's name ends with its maker's
 * {@link ProcessOwner#token()}, and each volume made for a build carries it as the label
 * {@link #OWNER_LABEL}: what a killed process left is found and removed by a later one
 * ({@link DockerLeftovers}). (A label on the container would do too, but the daemon copies a
 * container's labels into the image committed from it.)
 */
final class DockerContainerRunner implements ContainerRunner {
  /** The label of a volume s2i made for a build: its maker's {@link ProcessOwner#token()}. */
  static final String OWNER_LABEL = "io.s2i.java.owner";
  /** Network modes that are not networks to look up. */
  private static final Set<String> BUILT_IN_NETWORKS = Set.of("default", "host", "none");
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRunner.class);
  // Upstream s2i gives build containers /dev/shm of 64 MiB, as docker run does by default.
  private static final long SHM_SIZE = 64L * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DockerConnection docker;
  private final Runnable onFirstCreate;
  // Volumes this process made (they did not exist when a container of its build named them).
  private final Set<String> madeVolumes = ConcurrentHashMap.newKeySet();

  DockerContainerRunner(DockerConnection docker) {
    this(docker, () -> { });
  }

  /** {@code onFirstCreate}: runs when the first container is about to be made. */
  DockerContainerRunner(DockerConnection docker, Runnable onFirstCreate) {
    this.docker = docker;
    this.onFirstCreate = onFirstCreate;
  }

  @Override
  public void checkRunOptions(RunOptions run) throws EngineException {
    Optional<String> network = run.network().filter(n -> !BUILT_IN_NETWORKS.contains(n) && !n.startsWith("container:"));
    if (network.isEmpty()) {
      return;
    }
    try {
      RawRequests.Answer answer = RawRequests.get(docker, "/networks/" + URLEncoder.encode(network.get(), StandardCharsets.UTF_8));
      if (answer.status() == 404) {
        throw new EngineException(FailureReason.INVALID_REQUEST, "run.network \"" + network.get()
            + "\" names no network of the Docker engine",
            "create it first (docker network create), or use host or none", null);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot look up network {}: {}", network.get(), e.getMessage()); // the create will tell
    }
  }

  @Override
  public ContainerHandle create(ContainerSpec spec) throws EngineException {
    onFirstCreate.run();
    for (String bind : spec.binds()) {
      Optional<String> volume = VolumeSpecs.volumeName(bind);
      if (volume.isPresent()) {
        ensureVolume(volume.get());
      }
    }
    String name = containerName(spec.namePrefix());
    String id;
    try {
      RawRequests.Answer answer = RawRequests.post(docker,
          "/containers/create?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), body(spec));
      if (answer.status() == 404) {
        // The create endpoint never pulls; ensuring the image is the caller's job.
        throw new EngineException("cannot create container from image " + spec.image()
            + ": the image is not present locally (" + answer.error() + ")", null);
      }
      if (!answer.ok()) {
        throw new EngineException("cannot create container from image " + spec.image() + ": " + answer.error(), null);
      }
      id = answer.json().path("Id").asText();
      if (id.isEmpty()) {
        throw new EngineException("cannot create container from image " + spec.image()
            + ": the daemon's answer has no container id: " + DockerErrors.oneLine(answer.text()), null);
      }
    } catch (IOException | RuntimeException e) {
      throw new EngineException(
          "cannot create container from image " + spec.image() + ": " + DockerErrors.message(e), e);
    }
    return new DockerContainerHandle(docker, id, name, spec.openStdin(), this::removeMadeVolumes);
  }

  /**
   * Makes a named volume that does not exist yet, marked as this process's, instead of letting the
   * daemon make it unmarked on create: the build removes it when done ({@link #removeMadeVolumes}),
   * and a killed build's is found by its label.
   */
  private void ensureVolume(String volume) throws EngineException {
    try {
      String path = "/volumes/" + URLEncoder.encode(volume, StandardCharsets.UTF_8);
      if (RawRequests.get(docker, path).status() != 404) {
        return; // the user's: it stays
      }
      ObjectNode body = RawRequests.JSON.createObjectNode();
      body.put("Name", volume);
      body.putObject("Labels").put(OWNER_LABEL, ProcessOwner.current().token());
      RawRequests.Answer made = RawRequests.post(docker, "/volumes/create", body);
      if (!made.ok()) {
        throw new EngineException(FailureReason.INVALID_REQUEST, "cannot make the volume " + volume + ": "
            + made.error(), "check the volume name in run.volumes", null);
      }
      madeVolumes.add(volume);
    } catch (IOException | RuntimeException e) {
      throw new EngineException("cannot make the volume " + volume + ": " + DockerErrors.message(e), e);
    }
  }

  /**
   * Removes the volumes this process made that no container uses any more (a container of the
   * same build may still; then the last one's removal takes them).
   */
  void removeMadeVolumes() {
    for (String volume : madeVolumes) {
      try {
        RawRequests.Answer answer = RawRequests.delete(docker, "/volumes/" + URLEncoder.encode(volume, StandardCharsets.UTF_8));
        if (answer.ok() || answer.status() == 404) {
          madeVolumes.remove(volume);
        } else {
          LOG.debug("volume {} stays for now: {} {}", volume, answer.status(), answer.error());
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("cannot remove volume {}: {}", volume, e.getMessage());
      }
    }
  }

  /**
   * The body of {@code POST /containers/create}, as a tree ({@link RawRequests}: Jackson's bean
   * serializer for docker-java's CreateContainerCmd and HostConfig was built anew by every build).
   */
  static ObjectNode body(ContainerSpec spec) throws EngineException {
    ObjectNode body = RawRequests.JSON.createObjectNode();
    body.put("Image", spec.image());
    spec.env().forEach(body.putArray("Env")::add);
    if (!spec.user().isEmpty()) {
      body.put("User", spec.user());
    }
    if (!spec.entrypoint().isEmpty()) {
      spec.entrypoint().forEach(body.putArray("Entrypoint")::add);
    }
    if (!spec.cmd().isEmpty()) {
      spec.cmd().forEach(body.putArray("Cmd")::add);
    }
    spec.workingDir().filter(d -> !d.isBlank()).ifPresent(d -> body.put("WorkingDir", d));
    spec.hostname().ifPresent(h -> body.put("Hostname", h));
    body.put("OpenStdin", spec.openStdin());
    body.put("StdinOnce", spec.openStdin());
    body.put("AttachStdin", spec.openStdin());
    body.put("AttachStdout", true);
    body.put("AttachStderr", true);
    ObjectNode host = body.putObject("HostConfig");
    host.put("ShmSize", SHM_SIZE);
    ArrayNode binds = host.putArray("Binds");
    for (String bind : spec.binds()) {
      binds.add(BindSpec.parse(bind).toString());
    }
    ArrayNode capDrop = host.putArray("CapDrop");
    for (String c : capabilities(spec.capDrop())) {
      capDrop.add(c);
    }
    spec.extraHosts().forEach(host.putArray("ExtraHosts")::add);
    // Output reaches s2i over the attach stream; a log driver would keep a second copy of it.
    // With json-file, 100 MB of save-artifacts output took 2.8 s instead of 0.7 s here.
    host.putObject("LogConfig").put("Type", "none");
    spec.network().filter(n -> !n.isBlank()).ifPresent(n -> host.put("NetworkMode", n));
    return body;
  }

  /**
   * {@code prefix_} followed by 8 random hex digits (so concurrent builds do not collide) and the
   * maker's {@link ProcessOwner#token()}.
   */
  static String containerName(String prefix) {
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    String base = prefix == null || prefix.isBlank() ? "s2i" : prefix;
    return base + "_" + HexFormat.of().formatHex(suffix) + "_" + ProcessOwner.current().token();
  }

  /** Names such as {@code KILL} or {@code CAP_KILL} as the daemon takes them ({@code KILL}). */
  static List<String> capabilities(List<String> names) throws EngineException {
    List<String> caps = new java.util.ArrayList<>();
    for (String name : names) {
      caps.add(LinuxCapabilities.canonical(name).orElseThrow(() -> new EngineException(
          FailureReason.INVALID_REQUEST, "run.capDrop names an unknown capability \"" + name + "\"",
          "use Linux capability names such as NET_RAW or CAP_NET_RAW, or ALL", null)));
    }
    return caps;
  }
}
