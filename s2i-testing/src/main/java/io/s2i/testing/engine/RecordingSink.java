package io.s2i.testing.engine;

import io.s2i.engine.OutputSink;
import java.util.ArrayList;
import java.util.List;

/** An {@link OutputSink} that keeps every line with the stream it came from. */
public final class RecordingSink implements OutputSink {
  /** Which stream a line arrived on. */
  public enum Stream {
    STDOUT,
    STDERR
  }

  /** One line of output. */
  public record Line(Stream stream, String text) {}

  private final List<Line> lines = new ArrayList<>();

  @Override
  public synchronized void stdout(String line) {
    lines.add(new Line(Stream.STDOUT, line));
  }

  @Override
  public synchronized void stderr(String line) {
    lines.add(new Line(Stream.STDERR, line));
  }

  /** Every line so far, in arrival order. */
  public synchronized List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The lines of one stream, in order. */
  public synchronized List<String> lines(Stream stream) {
    return lines.stream().filter(l -> l.stream() == stream).map(Line::text).toList();
  }

  public List<String> stdout() {
    return lines(Stream.STDOUT);
  }

  public List<String> stderr() {
    return lines(Stream.STDERR);
  }
}
