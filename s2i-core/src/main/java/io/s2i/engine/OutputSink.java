package io.s2i.engine;

/** Receives a running container's output line by line; called from engine threads. */
public interface OutputSink {
  void stdout(String line);

  void stderr(String line);
}
