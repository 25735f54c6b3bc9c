package io.s2i.engine;

/** A container engine: an image store plus a way to run containers. Closing releases connections. */
public interface ContainerEngine extends AutoCloseable {
  /** A short name for logs, such as {@code docker}. */
  String name();

  ImageStore images();

  ContainerRunner containers();

  @Override
  void close();
}
