package io.s2i.api;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the built image goes. The names of the file outputs are the transports skopeo and buildah
 * use: {@code oci:DIR[:TAG]} and {@code docker-archive:FILE[:REF]}; {@code docker://REF} pushes.
 */
public sealed interface OutputTarget {

  /** The image stays in the engine, tagged when a tag is given (upstream's only output). */
  record EngineImage(Optional<ImageRef> tag) implements OutputTarget {}

  /** The image is tagged in the engine and pushed to its registry. */
  record RegistryImage(ImageRef ref) implements OutputTarget {}

  /** An OCI image layout directory; {@code tag} becomes {@code org.opencontainers.image.ref.name}. */
  record OciLayout(Path directory, Optional<String> tag) implements OutputTarget {}

  /** A {@code docker save} style tarball that {@code docker load} accepts. */
  record DockerArchive(Path file, Optional<ImageRef> tag) implements OutputTarget {}

  /** The engine tag of this target: the reference for engine and registry images. */
  default Optional<ImageRef> engineTag() {
    if (this instanceof EngineImage e) {
      return e.tag();
    }
    if (this instanceof RegistryImage r) {
      return Optional.of(r.ref());
    }
    return Optional.empty();
  }

  /** Whether this target is a file or directory on the local disk. */
  default boolean isFile() {
    return this instanceof OciLayout || this instanceof DockerArchive;
  }

  /**
   * Parses the output argument: {@code oci:DIR[:TAG]}, {@code docker-archive:FILE[:REF]},
   * {@code docker://REF} (push), or a plain image reference (pushed when {@code push} is set).
   *
   * @throws IllegalArgumentException with a message that says what is wrong and how to write it
   */
  static OutputTarget parse(String text, boolean push) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("oci:")) {
      String rest = text.substring("oci:".length());
      int colon = rest.indexOf(':');
      String dir = colon < 0 ? rest : rest.substring(0, colon);
      Optional<String> tag = colon < 0 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
      if (dir.isEmpty()) {
        throw new IllegalArgumentException("output \"" + text + "\" names no directory: write oci:DIR[:TAG]");
      }
      if (tag.isPresent() && !tag.get().matches("[A-Za-z0-9][A-Za-z0-9._:/@-]*")) {
        throw new IllegalArgumentException("output \"" + text + "\" has an invalid tag: write oci:DIR[:TAG]");
      }
      rejectPush(text, push);
      return new OciLayout(Path.of(dir), tag);
    }
    if (lower.startsWith("docker-archive:")) {
      String rest = text.substring("docker-archive:".length());
      int colon = rest.indexOf(':');
      String file = colon < 0 ? rest : rest.substring(0, colon);
      if (file.isEmpty()) {
        throw new IllegalArgumentException(
            "output \"" + text + "\" names no file: write docker-archive:FILE[:NAME:TAG]");
      }
      Optional<ImageRef> ref = colon < 0 ? Optional.empty() : Optional.of(ImageRef.parse(rest.substring(colon + 1)));
      rejectPush(text, push);
      return new DockerArchive(Path.of(file), ref);
    }
    if (lower.startsWith("docker://")) {
      return new RegistryImage(ImageRef.parse(text.substring("docker://".length())));
    }
    ImageRef ref = ImageRef.parse(text);
    return push ? new RegistryImage(ref) : new EngineImage(Optional.of(ref));
  }

  private static void rejectPush(String text, boolean push) {
    if (push) {
      throw new IllegalArgumentException(
          "push needs a registry image name, not the file output \"" + text + "\"");
    }
  }
}
