package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Capability;
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
import java.util.Locale;

/** Creates containers on a Docker daemon. */
final class DockerContainerRunner implements ContainerRunner {
  // Upstream s2i gives build containers /dev/shm of 64 MiB, as docker run does by default.
  private static final long SHM_SIZE = 64L * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DockerConnection docker;

  DockerContainerRunner(DockerConnection docker) {
    this.docker = docker;
  }

  @Override
  public ContainerHandle create(ContainerSpec spec) throws EngineException {
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
    return new DockerContainerHandle(docker, id, name, spec.openStdin());
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
    for (Capability c : capabilities(spec.capDrop())) {
      capDrop.add(c.name());
    }
    spec.extraHosts().forEach(host.putArray("ExtraHosts")::add);
    // Output reaches s2i over the attach stream; a log driver would keep a second copy of it.
    // With json-file, 100 MB of save-artifacts output took 2.8 s instead of 0.7 s here.
    host.putObject("LogConfig").put("Type", "none");
    spec.network().filter(n -> !n.isBlank()).ifPresent(n -> host.put("NetworkMode", n));
    return body;
  }

  /** {@code prefix_} followed by 8 random hex digits, so concurrent builds do not collide. */
  static String containerName(String prefix) {
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    String base = prefix == null || prefix.isBlank() ? "s2i" : prefix;
    return base + "_" + HexFormat.of().formatHex(suffix);
  }

  /** Maps names such as {@code KILL} or {@code CAP_KILL} to docker-java's capabilities. */
  static Capability[] capabilities(List<String> names) throws EngineException {
    Capability[] caps = new Capability[names.size()];
    for (int i = 0; i < caps.length; i++) {
      String name = names.get(i).trim().toUpperCase(Locale.ROOT);
      if (name.startsWith("CAP_")) {
        name = name.substring(4);
      }
      try {
        caps[i] = Capability.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new EngineException("unknown capability \"" + names.get(i) + "\" to drop", e);
      }
    }
    return caps;
  }
}
