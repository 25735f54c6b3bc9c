package io.s2i.engine;

import io.s2i.engine.ArchiveSource;
import java.io.OutputStream;
import java.util.Optional;

/** A created container. Closing kills it if running and removes it with its anonymous volumes. */
public interface ContainerHandle extends AutoCloseable {
  String id();

  /** Unpacks a tar archive into the container at {@code directory}; allowed before {@link #run}. */
  void copyIn(String directory, ArchiveSource archive) throws EngineException;

  /**
   * Starts the container, feeds {@code stdin} (then closes it), streams its output to {@code sink}
   * and waits for it to exit.
   */
  ExitStatus run(Optional<ArchiveSource> stdin, OutputSink sink)
      throws EngineException, InterruptedException;

  /**
   * Starts the container without input and waits for it to exit, passing its stdout byte for byte
   * to {@code stdout} (for a script that writes a tar, such as save-artifacts) and its stderr line
   * by line to {@code stderr}. Does not close {@code stdout}.
   */
  ExitStatus runCapturingStdout(OutputStream stdout, OutputSink stderr)
      throws EngineException, InterruptedException;

  /**
   * Writes a tar of {@code path} in the container to {@code out}.
   *
   * @return false when the path does not exist
   */
  boolean copyOut(String path, OutputStream out) throws EngineException;

  /**
   * Whether {@code path} exists in the container (allowed before {@link #run}): a script the image
   * should hold, checked before anything runs. By default a {@link #copyOut} whose bytes are
   * dropped, which suits a file.
   */
  default boolean exists(String path) throws EngineException {
    return copyOut(path, OutputStream.nullOutputStream());
  }

  /** Commits the container's file system as a new image and returns its id. */
  String commit(CommitSpec spec) throws EngineException;

  @Override
  void close();
}
