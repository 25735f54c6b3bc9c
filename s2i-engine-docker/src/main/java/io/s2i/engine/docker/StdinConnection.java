package io.s2i.engine.docker;

import java.io.IOException;
import java.io.InputStream;

/** A connection to a container's stdin that s2i writes itself and half-closes at the end. */
interface StdinConnection extends AutoCloseable {
  /** Writes everything {@code in} gives, then half-closes: the container's stdin sees its end. */
  void pump(InputStream in) throws IOException;

  @Override
  void close();
}
