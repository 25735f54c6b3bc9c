package io.s2i.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * On Ctrl-C (or SIGTERM) interrupts the main thread and waits for it to finish its cleanup, so
 * that no container, image or temporary directory outlives the process.
 */
final class ShutdownGuard {
  private static final long CLEANUP_WAIT_MILLIS = 60_000;
  private final Thread main;
  private final AtomicBoolean mainDone = new AtomicBoolean();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();

  private ShutdownGuard(Thread main) {
    this.main = main;
  }

  static ShutdownGuard install() {
    ShutdownGuard guard = new ShutdownGuard(Thread.currentThread());
    Runtime.getRuntime().addShutdownHook(new Thread(guard::onShutdown, "s2i-shutdown"));
    return guard;
  }

  private void onShutdown() {
    if (mainDone.get()) {
      return;
    }
    shuttingDown.set(true);
    main.interrupt();
    try {
      main.join(CLEANUP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void mainFinished() {
    mainDone.set(true);
  }

  /** Whether the JVM is already exiting; then main must not call {@code System.exit}. */
  boolean shuttingDown() {
    return shuttingDown.get();
  }
}
