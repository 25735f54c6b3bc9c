package io.s2i.engine.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies one output stream of the runtime process, either byte for byte or cut into UTF-8 lines
 * at {@code \n} (bytes are split before decoding, so no character is cut in two).
 */
final class OutputPump extends Thread {
  private final InputStream in;
  private final OutputStream raw;
  private final Consumer<String> lines;
  private volatile IOException failure;

  private OutputPump(InputStream in, OutputStream raw, Consumer<String> lines, String name) {
    super(name);
    setDaemon(true);
    this.in = in;
    this.raw = raw;
    this.lines = lines;
  }

  static OutputPump lines(InputStream in, Consumer<String> lines, String name) {
    OutputPump p = new OutputPump(in, null, lines, name);
    p.start();
    return p;
  }

  static OutputPump raw(InputStream in, OutputStream out, String name) {
    OutputPump p = new OutputPump(in, out, null, name);
    p.start();
    return p;
  }

  @Override
  public void run() {
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (raw != null) {
          raw.write(buf, 0, n);
          continue;
        }
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            pending.write(buf, start, i - start);
            lines.accept(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            start = i + 1;
          }
        }
        pending.write(buf, start, n - start);
      }
      if (pending.size() > 0) {
        lines.accept(pending.toString(StandardCharsets.UTF_8));
      }
      if (raw != null) {
        raw.flush();
      }
    } catch (IOException e) {
      failure = e;
    }
  }

  /** Waits for the stream's end; returns the failure to write it out, if any. */
  IOException finish() throws InterruptedException {
    join();
    return failure;
  }
}
