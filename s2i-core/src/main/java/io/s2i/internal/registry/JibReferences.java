package io.s2i.internal.registry;

import com.google.cloud.tools.jib.api.ImageReference;
import io.s2i.api.ImageRef;
import java.util.Set;

/**
 * jib's view of an image reference, made from the parts {@link ImageRef} (s2i's one reference
 * parser) found, never by jib's own parser: the two grammars differ (jib reads
 * {@code docker.io/foo} as the repository {@code foo}, Docker as {@code library/foo}).
 */
public final class JibReferences {
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

  private JibReferences() {}

  /**
   * The reference for jib's registry client and credential lookup; a {@code docker://} prefix is
   * allowed. Docker Hub names get Docker's {@code library/} for single-component repositories.
   *
   * @throws IllegalArgumentException when {@code ref} is not an image reference
   */
  public static ImageReference of(String ref) {
    ImageRef parsed = ImageRef.parse(ref.startsWith("docker://") ? ref.substring("docker://".length()) : ref);
    String registry = parsed.registry().orElse("docker.io");
    String repository = parsed.repository();
    if (DOCKER_HUB.contains(registry) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    String tag = parsed.tag().orElse(parsed.digest().isPresent() ? null : "latest");
    return ImageReference.of(registry, repository, tag, parsed.digest().orElse(null));
  }
}
