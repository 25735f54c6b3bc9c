package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link OnBuildIT}'s scenarios on the daemonless engine, which runs the triggers itself; and what
 * it cannot run, named.
 */
class OnBuildOnOciIT extends OnBuildIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  Optional<String> engine() {
    return Optional.of("oci");
  }

  @Test
  void anInstructionTheEngineCannotRunFailsNamingIt() throws Exception {
    Path layout = tmp.resolve("layout");
    Process copy = new ProcessBuilder("skopeo", "copy", "--src-tls-verify=false",
        "docker://" + REGISTRY_FIXTURE + "onbuild:latest", "oci:" + layout + ":b").redirectErrorStream(true).start();
    String copied = new String(copy.getInputStream().readAllBytes());
    assertThat(copy.waitFor()).as(copied).isZero();
    addTriggers(layout, List.of("COPY --from=compile /out /app/bin/"));
    Path src = writeApp("obfrom", "hello.txt", "hi\n", "start.sh", "#!/bin/sh\ncat /app/hello.txt\n");

    var r = s2i("build", src.toString(), "oci:" + layout + ":b", outputImage("obfrom"));
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    List<String> errors = r.stderr().lines().filter(l -> l.startsWith("ERROR:")).toList();
    assertThat(errors).singleElement().asString().contains("COPY --from=compile /out /app/bin/").contains("Fix:");
    // The triggers before it ran; nothing of the failed build is left (the base class checks).
    assertThat(r.stdout()).isEmpty();
  }

  /** Appends ONBUILD triggers to the config of the single image of an OCI layout, in place. */
  private static void addTriggers(Path layout, List<String> triggers) throws IOException {
    Path indexFile = layout.resolve("index.json");
    ObjectNode index = (ObjectNode) JSON.readTree(indexFile.toFile());
    ObjectNode mDesc = (ObjectNode) index.get("manifests").get(0);
    ObjectNode manifest = (ObjectNode) JSON.readTree(blob(layout, mDesc.get("digest").asText()).toFile());
    ObjectNode cDesc = (ObjectNode) manifest.get("config");
    ObjectNode config = (ObjectNode) JSON.readTree(blob(layout, cDesc.get("digest").asText()).toFile());
    JsonNode existing = config.with("config").get("OnBuild");
    ArrayNode onBuild = existing != null && existing.isArray() ? (ArrayNode) existing : config.with("config").putArray("OnBuild");
    triggers.forEach(onBuild::add);
    byte[] configBytes = JSON.writeValueAsBytes(config);
    cDesc.put("digest", write(layout, configBytes)).put("size", configBytes.length);
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    mDesc.put("digest", write(layout, manifestBytes)).put("size", manifestBytes.length);
    Files.write(indexFile, JSON.writeValueAsBytes(index));
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static String write(Path layout, byte[] bytes) throws IOException {
    try {
      String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      Files.write(blob(layout, digest), bytes);
      return digest;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
