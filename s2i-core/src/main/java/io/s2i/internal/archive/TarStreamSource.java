package io.s2i.internal.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * A tar stream produced on demand by something else, such as a script in a container. The stream
 * is only valid inside {@link #withStream}; the source checks afterwards that its producer
 * succeeded and throws {@link TarSourceException} when it did not.
 */
@FunctionalInterface
public interface TarStreamSource {
  /** Consumes the tar. */
  @FunctionalInterface
  interface Consumer {
    void accept(InputStream tar) throws IOException;
  }

  /** Produces the stream and hands it to {@code consumer}. */
  void withStream(Consumer consumer) throws IOException;
}
