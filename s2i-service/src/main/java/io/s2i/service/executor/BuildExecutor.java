package io.s2i.service.executor;

import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.StoredBuild;
import java.util.List;

/**
 * Runs builds: {@code local} (the library in this process) now, {@code kubernetes} (a Job per
 * build) later. The queue calls {@link #run} on a worker thread of its own for each claimed build
 * and cancels a build by interrupting that thread.
 */
public interface BuildExecutor extends AutoCloseable {

  /** The executor's name as {@code s2i serve --executor} and the build's status show it. */
  String name();

  /**
   * Runs one build to its end on the calling thread.
   *
   * @param job the build, its configuration as queued, and its binary input
   * @param reporter where progress, steps and log lines go
   * @return how it ended (stages and the log snippet are added by the caller)
   * @throws InterruptedException when the thread was interrupted (the build is then Cancelled);
   *     everything the build made must be gone before this is thrown
   */
  BuildOutcome run(BuildJob job, BuildReporter reporter) throws InterruptedException;

  /**
   * Removes what builds left behind when the server running them died (containers, pods, Jobs).
   * Called once for the builds found interrupted; must not throw.
   *
   * @return one line per thing removed or that could not be removed, for the builds' logs
   */
  List<String> cleanUpInterrupted(List<StoredBuild> builds);

  /**
   * Called once by the server before any build runs, with what an executor running builds away
   * from the server needs (the local executor needs none of it).
   */
  default void bind(ExecutorContext context) {}

  @Override
  default void close() {}

  /** The builder catalogue its builds detect with ({@code serve --builders}); empty: the shipped one. */
  default java.util.Optional<java.nio.file.Path> builderCatalogue() {
    return java.util.Optional.empty();
  }
}
