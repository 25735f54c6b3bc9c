package io.s2i.engine;

import java.util.List;

/** A container engine: an image store plus a way to run containers. Closing releases connections. */
public interface ContainerEngine extends AutoCloseable {
  /** A short name for logs, such as {@code docker}. */
  String name();

  ImageStore images();

  ContainerRunner containers();

  /**
   * Removes what builds of processes that no longer run (killed outright, so they could not clean
   * up) left in this engine: containers, volumes made for a build, temporary files. Things of
   * processes that still run, or that this process cannot judge (another machine's), stay. By
   * default there is nothing to remove.
   *
   * @return one line per thing removed
   */
  default List<String> removeLeftovers() {
    return List.of();
  }

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
