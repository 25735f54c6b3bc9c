package io.s2i.cli.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.BuildResult;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes {@code --output-json} (the callback's {@code success} and {@code labels} plus image id,
 * digest, outputs, size, source commit and step durations) and {@code --digest-file}. Files are
 * written beside their final name and moved into place.
 */
public final class ResultFiles {
  /** Made on first use: most builds write no result file, and it costs tens of ms at start-up. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  private final Path outputJson;
  private final Path digestFile;

  public ResultFiles(Path outputJson, Path digestFile) {
    this.outputJson = outputJson;
    this.digestFile = digestFile;
  }

  /** Fails before the build when a result file cannot be written. */
  public void check() throws S2iException {
    for (Path p : new Path[] {outputJson, digestFile}) {
      if (p == null) {
        continue;
      }
      Path parent = p.toAbsolutePath().getParent();
      if (Files.isDirectory(p) || parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "cannot write " + p
            + ": its directory does not exist or is not writable", "choose a file in a writable directory");
      }
    }
  }

  /** The JSON document for a successful build. */
  public static String json(BuildResult result) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("success", true);
    root.put("imageId", result.imageId());
    result.digest().ifPresentOrElse(d -> root.put("digest", d), () -> root.putNull("digest"));
    ArrayNode outputs = root.putArray("outputs");
    result.outputs().forEach(outputs::add);
    ArrayNode tags = root.putArray("tags");
    result.tag().ifPresent(t -> tags.add(t.toString()));
    root.put("size", result.size());
    result.source().ifPresent(s -> {
      ObjectNode source = root.putObject("source");
      source.put("location", s.location());
      s.contextDir().ifPresent(d -> source.put("contextDir", d));
      s.commit().ifPresent(c -> {
        source.put("commit", c.id());
        source.put("ref", c.ref());
      });
    });
    ArrayNode steps = root.putArray("steps");
    result.steps().forEach(st -> steps.addObject().put("step", st.step())
        .put("durationMs", st.duration().toMillis()));
    root.set("labels", Json.MAPPER.valueToTree(new TreeMap<>(result.labels())));
    return root.toPrettyString() + "\n";
  }

  public void writeSuccess(BuildResult result) throws S2iException {
    if (outputJson != null) {
      write(outputJson, json(result));
    }
    if (digestFile != null) {
      Optional<String> digest = result.digest();
      if (digest.isPresent()) {
        write(digestFile, digest.get() + "\n");
      }
    }
  }

  /** Records a failed build ({@code {"success":false,...}}); never hides the build's own error. */
  public void writeFailure(S2iException e) {
    if (outputJson == null) {
      return;
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("success", false);
    root.put("reason", e.reason().name());
    root.put("exitCode", e.reason().exitCode());
    root.put("error", String.valueOf(CliWording.reword(e.getMessage())));
    try {
      write(outputJson, root.toPrettyString() + "\n");
    } catch (S2iException ignored) {
      // the build's error is the one to report
    }
  }

  private static void write(Path file, String text) throws S2iException {
    Path target = file.toAbsolutePath();
    try {
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      try {
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "cannot write " + file + ": " + e.getMessage(),
          "choose a file in a writable directory", e);
    }
  }
}
