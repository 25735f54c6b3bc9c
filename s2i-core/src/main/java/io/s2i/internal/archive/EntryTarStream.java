package io.s2i.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The tar stream every archive of this package writes: POSIX long names and big numbers, an owner
 * forced on every entry when one is given, and optionally a mirror ({@link MirrorRecords}): a
 * record of the same entries without times or owner and, for a file, the SHA-256 of its content.
 * An inputs digest reads the mirror, so it comes from the very entries that are sent, without
 * reading the files twice; and with {@link ContentHashes} that know a file, a mirror-only stream
 * does not read it at all.
 */
final class EntryTarStream extends TarArchiveOutputStream {
  private final long uid;
  private final long gid;
  private MirrorRecords mirror;
  private ContentHashes hashes = ContentHashes.NONE;
  private boolean mirrorOnly;
  private boolean inPaxHeader;
  private MirrorWorker worker;
  private Path contentFile;
  private FileStamp contentStamp;
  private byte[] knownDigest;
  // The entry being mirrored; touched only by the mirror's tasks (on the worker when there is one).
  private TarArchiveEntry pending;
  private MessageDigest content;

  EntryTarStream(OutputStream out, long uid, long gid) {
    super(out);
    this.uid = uid;
    this.gid = gid;
    setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    setAddPaxHeadersForNonAsciiNames(true);
  }

  /**
   * From now on every entry also goes to {@code mirror}; {@code hashes} supplies and learns file
   * digests; with {@code mirrorOnly} nothing is written to this stream itself.
   */
  void mirrorTo(MirrorRecords mirror, ContentHashes hashes, boolean mirrorOnly) {
    this.mirror = mirror;
    this.hashes = hashes;
    this.mirrorOnly = mirrorOnly;
    // Sent to a container: the mirror's hashing runs beside the stream instead of slowing it.
    this.worker = mirrorOnly ? null : new MirrorWorker();
  }

  /** Waits for the mirror to have every entry (its work may run behind the stream). */
  void finishMirror() throws IOException {
    if (worker != null) {
      MirrorWorker w = worker;
      worker = null;
      w.finish();
    }
  }

  /** Gives up the mirror's pending work (the archive failed). */
  void abandonMirror() {
    if (worker != null) {
      worker.abandon();
      worker = null;
    }
  }

  private void mirrorTask(MirrorWorker.Task task) throws IOException {
    if (worker != null) {
      worker.submit(task);
    } else {
      task.run();
    }
  }

  /**
   * Writes a file entry with {@code file}'s content; {@code stamp} is the file's, when the caller
   * has it. A file whose digest the mirror knows is not hashed again, and without a stream to
   * feed it is not even opened. An unreadable file fails on opening, before anything is written.
   */
  void file(TarArchiveEntry entry, Path file, FileStamp stamp) throws IOException {
    if (mirror != null && stamp == null) {
      stamp = FileStamp.of(file);
    }
    byte[] known = mirror != null ? hashes.known(file, stamp).orElse(null) : null;
    if (known != null && mirrorOnly) {
      putArchiveEntry(entry);
      knownDigest = known;
      closeArchiveEntry();
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      putArchiveEntry(entry);
      if (known != null) {
        knownDigest = known;
      } else {
        contentFile = file;
        contentStamp = stamp;
      }
      long copied = in.transferTo(this);
      if (copied != entry.getSize()) {
        throw new IOException(file + " changed size while it was being archived");
      }
    }
    closeArchiveEntry();
  }

  @Override
  public void putArchiveEntry(TarArchiveEntry entry) throws IOException {
    // The superclass writes a PAX header for a long name through this very method: it is part of
    // the real entry's encoding, not an entry of its own, so it is not mirrored.
    if (entry.isPaxHeader() || entry.isGlobalPaxHeader()) {
      inPaxHeader = true;
      super.putArchiveEntry(entry);
      return;
    }
    if (mirror != null) {
      TarArchiveEntry copy = recordOf(entry);
      // A regular file (commons-compress's isFile() is also true of links).
      boolean file = entry.getLinkFlag() == TarConstants.LF_NORMAL || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
      contentFile = null;
      contentStamp = null;
      mirrorTask(() -> {
        pending = copy;
        content = file ? sha256() : null;
      });
    }
    if (uid != 0 || gid != 0) {
      entry.setUserId(uid);
      entry.setGroupId(gid);
    }
    if (!mirrorOnly) {
      super.putArchiveEntry(entry);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (!mirrorOnly) {
      super.write(b, off, len);
    }
    if (mirror != null && !inPaxHeader && len > 0 && knownDigest == null) {
      if (worker == null) {
        if (content != null) {
          content.update(b, off, len);
        }
      } else {
        byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + len);
        worker.submit(() -> {
          if (content != null) {
            content.update(chunk);
          }
        });
      }
    }
  }

  @Override
  public void closeArchiveEntry() throws IOException {
    if (inPaxHeader) {
      inPaxHeader = false;
      super.closeArchiveEntry();
      return;
    }
    if (!mirrorOnly) {
      super.closeArchiveEntry();
    }
    if (mirror != null) {
      Path file = contentFile;
      FileStamp stamp = contentStamp;
      byte[] known = knownDigest;
      contentFile = null;
      contentStamp = null;
      knownDigest = null;
      mirrorTask(() -> emit(known != null ? known : content == null ? null : content.digest(), file, stamp));
    }
  }

  @Override
  public void finish() throws IOException {
    if (!mirrorOnly) {
      super.finish();
    }
  }

  /** Writes the pending entry to the mirror, with {@code digest} as a file's content. */
  private void emit(byte[] digest, Path file, FileStamp stamp) throws IOException {
    if (digest != null && file != null) {
      hashes.learned(file, stamp, digest);
    }
    TarArchiveEntry e = pending;
    pending = null;
    content = null;
    mirror.entry(e, digest);
  }

  /** What the mirror keeps of an entry (the entry itself is changed later: owner, times). */
  private static TarArchiveEntry recordOf(TarArchiveEntry e) {
    TarArchiveEntry c = new TarArchiveEntry(e.getName(), e.getLinkFlag());
    c.setMode(e.getMode());
    c.setLinkName(e.getLinkName());
    return c;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
