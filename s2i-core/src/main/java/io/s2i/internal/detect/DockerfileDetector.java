package io.s2i.internal.detect;

import io.s2i.api.Detection.DockerfileInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the file that makes oc new-app choose the docker strategy: a {@code Dockerfile} at the top
 * of the source, or (unlike oc, openshift/oc#939) a {@code Containerfile}; and the image its last
 * {@code FROM} names, which oc takes as the build's base.
 */
public final class DockerfileDetector {
  private static final List<String> NAMES = List.of("Dockerfile", "Containerfile");
  private static final Pattern FROM = Pattern.compile(
      "^\\s*FROM\\s+(?:--\\S+\\s+)*(\\S+)", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

  private DockerfileDetector() {}

  /** The Dockerfile or Containerfile at the top of {@code dir}, if any. */
  public static Optional<DockerfileInfo> detect(Path dir) throws IOException {
    TopDirectory top = TopDirectory.of(dir);
    for (String name : NAMES) {
      if (top.has(name)) {
        return Optional.of(new DockerfileInfo(name, top.read(name).flatMap(DockerfileDetector::lastFrom)));
      }
    }
    return Optional.empty();
  }

  static Optional<String> lastFrom(String text) {
    String joined = text.replaceAll("\\\\\\r?\\n", " "); // continuation lines
    Matcher m = FROM.matcher(joined);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return Optional.ofNullable(last);
  }
}
