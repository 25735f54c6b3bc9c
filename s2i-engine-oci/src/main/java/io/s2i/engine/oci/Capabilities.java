package io.s2i.engine.oci;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Linux capabilities this process has, from {@code /proc/self/status}. */
final class Capabilities {
  static final int SYS_ADMIN = 21;

  private Capabilities() {}

  /** Whether capability {@code bit} is effective; true when the kernel does not say (not Linux). */
  static boolean effective(int bit) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return new BigInteger(line.substring(7).trim(), 16).testBit(bit);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // let the runtime tell
    }
    return true;
  }
}
