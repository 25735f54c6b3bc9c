package io.s2i.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Copies the entries of one tar stream into another under a prefix, without touching the disk.
 * Files, directories, symlinks and hard links keep their modes, ownership and times. Entries that
 * could escape the prefix once unpacked (absolute paths, {@code ..}, links pointing outside) are
 * refused; device and fifo entries are skipped. A stream that is not a tar at all is reported with
 * the bytes it started with, so a script that printed text to stdout is easy to spot.
 */
public final class TarRelay {
  private TarRelay() {}

  /**
   * Copies every entry of {@code in} into {@code out} under {@code prefix}, then reads {@code in}
   * to its end (tar writers pad with zero blocks).
   *
   * @return the number of entries copied
   * @throws TarSourceException when the stream is not a tar or holds an unsafe entry
   */
  public static int copy(InputStream in, TarArchiveOutputStream out, String prefix, Consumer<String> warnings)
      throws IOException {
    return copy(in, out, prefix, warnings, false);
  }

  /**
   * Copies every entry of {@code in} into a whole tar archive written to {@code out} (entries at
   * its root, end-of-archive blocks included), with the same checks as {@link #copy}.
   *
   * @return the number of entries copied
   */
  public static int copyArchive(InputStream in, java.io.OutputStream out, Consumer<String> warnings)
      throws IOException {
    EntryTarStream tar = TarEntries.open(new NonClosingOutputStream(out));
    int count = copy(in, tar, "", warnings, false);
    tar.finish();
    tar.flush();
    return count;
  }

  /**
   * As {@link #copy(InputStream, TarArchiveOutputStream, String, Consumer)}; with {@code
   * normalise}, entries become root-owned with directories 0755 and files 0644, or 0755 when the
   * owner could execute them (upstream's rule for runtime artifacts).
   */
  public static int copy(InputStream in, TarArchiveOutputStream out, String prefix,
      Consumer<String> warnings, boolean normalise) throws IOException {
    String base = prefix.isEmpty() || prefix.equals(".") ? "" : prefix + "/";
    PeekingInputStream peeking = new PeekingInputStream(in);
    TarArchiveInputStream tar = new TarArchiveInputStream(peeking);
    int count = 0;
    while (true) {
      TarArchiveEntry entry;
      try {
        entry = tar.getNextEntry();
      } catch (IOException e) {
        throw new TarSourceException("the stream is not a tar archive (it starts with \""
            + peeking.head() + "\"); a save-artifacts script must write only the tar to stdout", e);
      }
      if (entry == null) {
        break;
      }
      if (count == 0 && entry.getName().isEmpty()) {
        throw new TarSourceException("the stream is not a tar archive (it starts with \"" + peeking.head() + "\")");
      }
      String name = safeName(entry.getName());
      if (name.isEmpty()) {
        continue;
      }
      if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
        warnings.accept("skipping special file " + name + " in artifacts");
        continue;
      }
      TarArchiveEntry copy = new TarArchiveEntry(base + name + (entry.isDirectory() ? "/" : ""),
          linkFlag(entry));
      copy.setModTime(entry.getModTime());
      if (normalise) {
        int type = entry.getMode() & ~07777;
        int perms = entry.isDirectory() || (entry.getMode() & 0100) != 0 ? 0755 : 0644;
        copy.setMode(type | (entry.isSymbolicLink() ? 0777 : perms));
        copy.setUserId(0);
        copy.setGroupId(0);
      } else {
        copy.setMode(entry.getMode());
        copy.setUserId(entry.getLongUserId());
        copy.setGroupId(entry.getLongGroupId());
        copy.setUserName(entry.getUserName());
        copy.setGroupName(entry.getGroupName());
      }
      if (entry.isSymbolicLink()) {
        checkSymlink(name, entry.getLinkName());
        copy.setLinkName(entry.getLinkName());
      } else if (entry.isLink()) {
        copy.setLinkName(base + safeName(entry.getLinkName()));
      } else if (entry.isFile()) {
        copy.setSize(entry.getSize());
      }
      out.putArchiveEntry(copy);
      if (entry.isFile() && !entry.isLink()) {
        long copied = tar.transferTo(out);
        if (copied != entry.getSize()) {
          throw new TarSourceException("the tar stream ended inside " + name);
        }
      }
      out.closeArchiveEntry();
      count++;
    }
    // Text shorter than a tar record ends the tar reader as an empty archive would: it is text.
    if (count == 0 && !peeking.head().isEmpty()) {
      throw new TarSourceException("the stream is not a tar archive (it starts with \""
          + peeking.head() + "\"); a save-artifacts script must write only the tar to stdout");
    }
    in.transferTo(OutputStreamSink.INSTANCE);
    return count;
  }

  private static byte linkFlag(TarArchiveEntry e) {
    if (e.isSymbolicLink()) {
      return TarConstants.LF_SYMLINK;
    }
    if (e.isLink()) {
      return TarConstants.LF_LINK;
    }
    return e.isDirectory() ? TarConstants.LF_DIR : TarConstants.LF_NORMAL;
  }

  /** The entry name cleaned; refuses absolute names and names leaving the root. */
  static String safeName(String raw) throws TarSourceException {
    if (raw.startsWith("/")) {
      throw new TarSourceException("refusing archive entry with an absolute path: " + raw);
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String p : raw.split("/+")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new TarSourceException("refusing archive entry that leaves its directory: " + raw);
      }
      parts.addLast(p);
    }
    return String.join("/", parts);
  }

  /** Refuses a symlink whose target, resolved from the link's directory, leaves the root. */
  static void checkSymlink(String name, String target) throws TarSourceException {
    if (target.startsWith("/")) {
      throw new TarSourceException("refusing symlink " + name + " to the absolute path " + target);
    }
    Deque<String> parts = new ArrayDeque<>();
    String[] dirs = name.split("/");
    for (int i = 0; i < dirs.length - 1; i++) {
      parts.addLast(dirs[i]);
    }
    for (String p : target.split("/+")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          throw new TarSourceException("refusing symlink " + name + " -> " + target + ": it points outside the artifacts");
        }
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
  }

  /** Keeps the first bytes read, to quote them when the stream turns out not to be a tar. */
  private static final class PeekingInputStream extends java.io.FilterInputStream {
    private final byte[] head = new byte[64];
    private int headLength;

    PeekingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && headLength < head.length) {
        head[headLength++] = (byte) b;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && headLength < head.length) {
        int k = Math.min(n, head.length - headLength);
        System.arraycopy(b, off, head, headLength, k);
        headLength += k;
      }
      return n;
    }

    String head() {
      String s = new String(head, 0, headLength, StandardCharsets.UTF_8);
      int cut = s.indexOf('\0');
      s = cut >= 0 ? s.substring(0, cut) : s;
      return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
