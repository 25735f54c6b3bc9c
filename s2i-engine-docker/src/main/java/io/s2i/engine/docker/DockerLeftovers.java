package io.s2i.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.internal.fs.ProcessOwner;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what builds of killed processes left on the daemon, by the owner each thing carries (see
 * {@link DockerContainerRunner}), and removes it: their containers (still running or exited) and
 * the volumes made for them. Only things whose owner is known to be gone go ({@link ProcessOwner#gone}).
 */
final class DockerLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(DockerLeftovers.class);

  private DockerLeftovers() {}

  /** Removes them; returns a line per thing removed. */
  static List<String> remove(DockerConnection docker) {
    List<String> removed = new ArrayList<>();
    try {
      RawRequests.Answer containers = RawRequests.get(docker, "/containers/json?all=1&filters="
          + URLEncoder.encode("{\"name\":[\"s2io-\"]}", StandardCharsets.UTF_8));
      if (containers.ok()) {
        for (JsonNode c : containers.json()) {
          String name = c.path("Names").path(0).asText("").replaceFirst("^/", "");
          Optional<ProcessOwner> owner = ProcessOwner.find(name);
          if (owner.isPresent() && owner.get().gone()) {
            String id = c.path("Id").asText();
            RawRequests.Answer answer = RawRequests.delete(docker, "/containers/" + id + "?v=1&force=1");
            if (answer.ok() || answer.status() == 404) {
              removed.add("container " + name);
            }
          }
        }
      }
      RawRequests.Answer volumes = RawRequests.get(docker, "/volumes?filters="
          + URLEncoder.encode("{\"label\":[\"" + DockerContainerRunner.OWNER_LABEL + "\"]}", StandardCharsets.UTF_8));
      if (volumes.ok()) {
        for (JsonNode v : volumes.json().path("Volumes")) {
          Optional<ProcessOwner> owner = ProcessOwner.find(v.path("Labels").path(DockerContainerRunner.OWNER_LABEL).asText(""));
          if (owner.isPresent() && owner.get().gone()) {
            String name = v.path("Name").asText();
            // Refused (409) while a container still uses it: the next sweep tries again.
            if (RawRequests.delete(docker, "/volumes/" + URLEncoder.encode(name, StandardCharsets.UTF_8)).ok()) {
              removed.add("volume " + name);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot look for what killed builds left: {}", e.getMessage());
    }
    removed.forEach(r -> LOG.debug("removed {}, left by a build that was killed", r));
    return removed;
  }
}
