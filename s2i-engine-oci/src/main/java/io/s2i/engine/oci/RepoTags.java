package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The {@code RepoTags} of the first image of a docker-archive. */
final class RepoTags {
  private RepoTags() {}

  static List<String> of(Path archive) throws IOException {
    List<String> tags = new ArrayList<>();
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getName().equals("manifest.json")) {
          JsonNode m = new ObjectMapper().readTree(tar.readAllBytes());
          m.path(0).path("RepoTags").forEach(t -> tags.add(t.asText()));
          break;
        }
      }
    }
    return tags;
  }
}
