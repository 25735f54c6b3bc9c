package io.s2i.engine.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Layer tars written by tests. */
final class TestLayers {
  private TestLayers() {}

  /**
   * A tar of {@code entries}: name, then its content (a String; a name ending in {@code /} is a
   * directory), {@code {"->", target}} for a symlink or {@code {"=>", target}} for a hard link.
   */
  static byte[] tar(Object... entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
      for (int i = 0; i < entries.length; i += 2) {
        String name = (String) entries[i];
        Object v = entries[i + 1];
        TarArchiveEntry e;
        if (name.endsWith("/")) {
          e = new TarArchiveEntry(name);
        } else if (v instanceof String[] link) {
          e = new TarArchiveEntry(name, link[0].equals("->") ? TarConstants.LF_SYMLINK : TarConstants.LF_LINK);
          e.setLinkName(link[1]);
        } else {
          e = new TarArchiveEntry(name);
          e.setSize(((String) v).getBytes(StandardCharsets.UTF_8).length);
        }
        // Old times, as in a real image: a change made now always has another one.
        e.setModTime(1_000_000_000_000L);
        t.putArchiveEntry(e);
        if (v instanceof String content && !name.endsWith("/")) {
          t.write(content.getBytes(StandardCharsets.UTF_8));
        }
        t.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a tar in memory", e);
    }
    return bytes.toByteArray();
  }
}
