package io.s2i.api;

import java.time.Duration;

/** What a build reports while it runs. The library never prints; front ends render these. */
public sealed interface BuildEvent {

  /** Verbosity of a {@link Log} event; the CLI maps {@code --loglevel} onto it. */
  enum Level {
    ERROR,
    WARN,
    INFO,
    /** Upstream's level 1: progress lines. */
    DETAIL,
    /** Upstream's level 2 and above: configuration and engine calls. */
    DEBUG
  }

  /** Which stream of a container a line came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /** A message from s2i itself. */
  record Log(Level level, String message) implements BuildEvent {}

  /** A line printed by a script running in a container. */
  record ContainerOutput(Stream stream, String line) implements BuildEvent {}

  /** A step began. */
  record StepStarted(String step) implements BuildEvent {}

  /** A step ended, successfully or not. */
  record StepFinished(String step, Duration duration, boolean succeeded) implements BuildEvent {}

  /**
   * Progress of a pull or push, summed over its layers. Sent repeatedly while the transfer runs and
   * once more with {@code done} set when it ends.
   *
   * @param action {@code Pulling} or {@code Pushing}
   * @param image the reference being transferred
   * @param layersDone layers finished so far
   * @param layers layers seen so far
   * @param bytesDone bytes transferred so far (of layers whose size is known)
   * @param bytesTotal bytes to transfer (of layers whose size is known)
   * @param done whether the transfer has ended
   */
  record Transfer(String action, String image, int layersDone, int layers, long bytesDone,
      long bytesTotal, boolean done) implements BuildEvent {}
}
