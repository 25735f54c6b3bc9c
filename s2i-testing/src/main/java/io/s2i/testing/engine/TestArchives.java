package io.s2i.testing.engine;

import io.s2i.engine.ArchiveSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small tar archives for engine tests. */
public final class TestArchives {
  private TestArchives() {}

  /**
   * An archive of regular files, mode 0644, owned by root (as s2i's own archives are), with the
   * parent directories of each file. Entries are written in the map's order.
   */
  public static ArchiveSource files(Map<String, String> contents) {
    return out -> {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      java.util.Set<String> dirs = new java.util.HashSet<>();
      for (Map.Entry<String, String> file : contents.entrySet()) {
        String path = file.getKey();
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
          String dir = path.substring(0, slash + 1);
          if (dirs.add(dir)) {
            TarArchiveEntry d = new TarArchiveEntry(dir);
            d.setMode(040755);
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
          }
        }
        byte[] data = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(path);
        e.setMode(0100644);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
      // finish() writes the end-of-archive blocks; close() would close the caller's stream.
      tar.finish();
      tar.flush();
    };
  }

  /** A plain (not tar) stream of {@code size} bytes cycling through the alphabet. */
  public static ArchiveSource bytes(long size) {
    return out -> {
      byte[] chunk = new byte[8192];
      for (int i = 0; i < chunk.length; i++) {
        chunk[i] = (byte) ('a' + i % 26);
      }
      long left = size;
      while (left > 0) {
        int n = (int) Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        left -= n;
      }
    };
  }

  /** The regular files of a tar archive, by entry name, decoded as UTF-8. */
  public static Map<String, String> read(byte[] tarBytes) {
    Map<String, String> files = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(tarBytes))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
