package io.s2i.cli.console;

import io.s2i.api.BuildEvent;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows pull and push progress. On a terminal one line is redrawn in place
 * ({@code Pulling app:1: 2/5 layers, 12.3 MB/40.0 MB}); otherwise a plain line is printed each
 * time a layer finishes and when the transfer ends, so logs stay readable.
 */
final class TransferRenderer {
  private final PrintStream err;
  private final boolean terminal;
  private boolean lineOpen;
  private int lastLayersDone = -1;
  private String lastImage;

  TransferRenderer(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  void render(BuildEvent.Transfer t) {
    synchronized (err) {
      if (t.done() && t.layers() == 0) {
        return; // nothing was transferred (image present, or the transfer failed at once)
      }
      String line = t.action() + " " + t.image() + ": " + t.layersDone() + "/" + t.layers()
          + " layers" + (t.bytesTotal() > 0 ? ", " + size(t.bytesDone()) + "/" + size(t.bytesTotal()) : "")
          + (t.done() ? ", done" : "");
      if (terminal) {
        err.print("\r\033[2K" + line);
        lineOpen = true;
        if (t.done()) {
          endLine();
        }
        err.flush();
        return;
      }
      boolean sameImage = t.image().equals(lastImage);
      if (t.done() || !sameImage || t.layersDone() != lastLayersDone) {
        if (t.layersDone() > 0 || t.done()) {
          err.println(line);
        }
        lastLayersDone = t.done() ? -1 : t.layersDone();
        lastImage = t.done() ? null : t.image();
      }
    }
  }

  /** Ends a redrawn line before other output is printed. */
  void endLine() {
    if (lineOpen) {
      err.println();
      lineOpen = false;
    }
  }

  static String size(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1000.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
