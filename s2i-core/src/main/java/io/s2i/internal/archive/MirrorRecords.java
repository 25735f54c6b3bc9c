package io.s2i.internal.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The mirror of an archive: one line per entry with what decides a build's result (name, type,
 * permission bits, link target, and a file's content digest) and nothing that does not (times,
 * owner). Lines, not tar headers: a digest of them hashes some 100 bytes per entry, not 1 KiB.
 */
class MirrorRecords {
  private final OutputStream out;

  MirrorRecords(OutputStream out) {
    this.out = out;
  }

  /** One entry; {@code digest} is the SHA-256 of a file's content (null for anything else). */
  final void entry(TarArchiveEntry e, byte[] digest) throws IOException {
    record(e.getName(), line(e.getName(), (char) e.getLinkFlag(), e.getMode(), e.getLinkName(), digest));
  }

  /** The line of an entry named {@code name} of tar type {@code type}. */
  static byte[] line(String name, char type, int mode, String linkName, byte[] digest) {
    StringBuilder line = new StringBuilder(name.length() + linkName.length() + 80)
        .append(name).append('\0')
        .append(type).append(Integer.toOctalString(mode & 07777)).append('\0')
        .append(linkName).append('\0')
        .append(digest == null ? "-" : HexFormat.of().formatHex(digest)).append('\n');
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Takes the line of the entry named {@code name}. */
  void record(String name, byte[] line) throws IOException {
    out.write(line);
  }

  void flush() throws IOException {
    out.flush();
  }
}
