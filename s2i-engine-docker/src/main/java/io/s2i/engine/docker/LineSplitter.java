package io.s2i.engine.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines at {@code \n} and decodes each as UTF-8. Splitting bytes before
 * decoding keeps a multi-byte character intact when a frame boundary falls inside it.
 */
final class LineSplitter {
  private final Consumer<String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  LineSplitter(Consumer<String> lines) {
    this.lines = lines;
  }

  /** Adds bytes; each completed line (without its {@code \n}) goes to the consumer. */
  void accept(byte[] bytes) {
    accept(bytes, 0, bytes.length);
  }

  /** Adds {@code length} bytes of {@code bytes} from {@code offset}. */
  synchronized void accept(byte[] bytes, int offset, int length) {
    int lineStart = offset;
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] == '\n') {
        pending.write(bytes, lineStart, i - lineStart);
        emit();
        lineStart = i + 1;
      }
    }
    pending.write(bytes, lineStart, offset + length - lineStart);
  }

  /** Delivers a last line that had no {@code \n}. */
  synchronized void flush() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    lines.accept(line);
  }
}
