package io.s2i.engine;

/** How a container's main process ended. */
public record ExitStatus(int code, boolean oomKilled) {
  public boolean succeeded() {
    return code == 0;
  }
}
