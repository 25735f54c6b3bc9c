package io.s2i.engine;

/** A container engine: an image store plus a way to run containers. Closing releases connections. */
public interface ContainerEngine extends AutoCloseable {
  /** A short name for logs, such as {@code docker}. */
  String name();

  ImageStore images();

  ContainerRunner containers();

  /**
   * The engine's own image cache, when it keeps one that s2i manages (the daemonless engine);
   * empty for engines whose daemon manages its images.
   */
  default java.util.Optional<ImageCache> cache() {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
