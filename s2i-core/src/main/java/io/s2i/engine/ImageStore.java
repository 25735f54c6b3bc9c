package io.s2i.engine;

import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.ImageInfo;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** The engine's images. References are passed as text with a tag or digest. */
public interface ImageStore {
  /** Inspects a local image; empty when the engine does not have it. */
  Optional<ImageInfo> inspect(String ref) throws EngineException;

  /**
   * Makes {@code ref} available under {@code policy} and inspects it.
   *
   * @throws ImageNotFoundException when it is absent and cannot be pulled
   */
  default ImageInfo ensure(String ref, PullPolicy policy) throws EngineException {
    return ensure(ref, policy, Optional.empty(), TransferListener.none());
  }

  /**
   * Makes {@code ref} available under {@code policy}, pulling with {@code credentials} (anonymous
   * when empty) and reporting layer progress, and inspects it.
   *
   * @throws ImageNotFoundException when it is absent and cannot be pulled
   */
  ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> credentials,
      TransferListener progress) throws EngineException;

  /**
   * Builds an image from a Dockerfile at the root of {@code context} (used for builders with
   * ONBUILD triggers), without cache, removing intermediate containers.
   *
   * @param tag name for the result, or empty
   * @param network network mode for RUN steps, or empty for the engine's default
   * @param output receives the build's progress lines
   * @return the new image's id
   */
  String build(io.s2i.engine.ArchiveSource context, Optional<String> tag, Optional<String> network,
      OutputSink output) throws EngineException;

  /** Gives an image another name. */
  void tag(String imageId, String ref) throws EngineException;

  /**
   * Pushes a tagged image to its registry.
   *
   * @return the manifest digest the registry stored ({@code sha256:...})
   * @throws RegistryException when the registry refuses or cannot be reached; its
   *     {@link RegistryException#transientFailure()} says whether retrying may help
   */
  String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
      throws EngineException;

  /**
   * Writes an image as a {@code docker save} tarball (docker-archive: {@code manifest.json}, the
   * config and one uncompressed tar per layer).
   */
  void export(String image, OutputStream out) throws EngineException;

  /** Loads a docker-archive tarball, keeping its config byte for byte (so its id is the config digest). */
  void load(InputStream dockerArchive) throws EngineException;

  /** Removes an image (by id or name); absent images are ignored. */
  void remove(String image) throws EngineException;

  /**
   * The engine's tagged images with their labels, for finding builder images
   * ({@code S2i.detect}). An engine that cannot list its images returns none.
   */
  default java.util.List<ImageSummary> list() throws EngineException {
    return java.util.List.of();
  }
}
