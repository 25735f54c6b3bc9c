package io.s2i.testing.engine;

/**
 * What runs when a fake binary is executed in a {@link FakeEngine} container: a builder's
 * {@code assemble}, {@code run} or {@code save-artifacts} written as Java, or one of the tools of
 * {@link FakeTools} ({@code sh}, {@code tar}...). It reads and writes the container's files through
 * {@link FakeProcess#files()}, its input on {@link FakeProcess#stdin()}, prints with
 * {@link FakeProcess#out}, and returns its exit code. An interrupt means the container was killed.
 */
@FunctionalInterface
public interface FakeProgram {
  /**
   * Runs once per execution.
   *
   * @return the exit code
   * @throws InterruptedException when the container is killed while it waits
   * @throws Exception anything else ends it with exit code 1 and the message on stderr
   */
  int run(FakeProcess process) throws Exception;
}
