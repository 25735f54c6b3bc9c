package io.s2i.internal.image.layout;

import java.nio.file.Path;
import java.util.List;

/**
 * An image unpacked on disk: its config JSON, byte for byte, and its layers as uncompressed tar
 * files in order. This is the form every output is written from.
 *
 * @param config the image config JSON (its digest is the image id)
 * @param layers the layers, base first
 */
public record ImageArchive(byte[] config, List<Layer> layers) {

  /**
   * One layer.
   *
   * @param file the uncompressed tar
   * @param diffId the digest of the uncompressed tar
   * @param size the tar's size in bytes
   */
  public record Layer(Path file, String diffId, long size) {}

  public ImageArchive {
    config = config.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public byte[] config() {
    return config.clone();
  }

  /** The image id: the digest of the config. */
  public String id() {
    return Digests.of(config);
  }

  /** The total size of the uncompressed layers and the config. */
  public long size() {
    return config.length + layers.stream().mapToLong(Layer::size).sum();
  }
}
