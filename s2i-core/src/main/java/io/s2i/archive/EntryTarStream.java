package io.s2i.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar stream every archive of this package writes: POSIX long names and big numbers, an owner
 * forced on every entry when one is given, and optionally a mirror: a second tar that receives
 * the same entries with their times zeroed, root as owner and, for a file, the SHA-256 of its
 * content in place of the content. An inputs digest reads the mirror, so it comes from the very
 * entries that are sent, without reading the files twice; and with {@link ContentHashes} that
 * know a file, a mirror-only stream does not read it at all.
 */
final class EntryTarStream extends TarArchiveOutputStream {
  private static final int HASH_SIZE = 32;
  private final long uid;
  private final long gid;
  private final boolean zeroTimes;
  private TarArchiveOutputStream mirror;
  private ContentHashes hashes = ContentHashes.NONE;
  private boolean mirrorOnly;
  private boolean inPaxHeader;
  private TarArchiveEntry pending;
  private MessageDigest content;
  private Path contentFile;
  private FileStamp contentStamp;

  EntryTarStream(OutputStream out, long uid, long gid, boolean zeroTimes) {
    super(out);
    this.uid = uid;
    this.gid = gid;
    this.zeroTimes = zeroTimes;
    setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    setAddPaxHeadersForNonAsciiNames(true);
  }

  /**
   * From now on every entry also goes to {@code mirror}; {@code hashes} supplies and learns file
   * digests; with {@code mirrorOnly} nothing is written to this stream itself.
   */
  void mirrorTo(TarArchiveOutputStream mirror, ContentHashes hashes, boolean mirrorOnly) {
    this.mirror = mirror;
    this.hashes = hashes;
    this.mirrorOnly = mirrorOnly;
  }

  /** Writes a file entry with {@code file}'s content (not read when only its known digest is needed). */
  void file(TarArchiveEntry entry, Path file) throws IOException {
    FileStamp stamp = mirror != null ? FileStamp.of(file) : null;
    if (mirrorOnly) {
      putArchiveEntry(entry);
      var known = hashes.known(file, stamp);
      if (known.isPresent()) {
        content = null;
        emit(known.get());
        return;
      }
    } else {
      putArchiveEntry(entry);
    }
    contentFile = file;
    contentStamp = stamp;
    try (InputStream in = Files.newInputStream(file)) {
      long copied = in.transferTo(this);
      if (copied != entry.getSize()) {
        throw new IOException(file + " changed size while it was being archived");
      }
    }
    closeArchiveEntry();
  }

  @Override
  public void putArchiveEntry(TarArchiveEntry entry) throws IOException {
    // The superclass writes a PAX header for a long name through this very method: the mirror
    // makes its own, so only real entries are mirrored.
    if (entry.isPaxHeader() || entry.isGlobalPaxHeader()) {
      inPaxHeader = true;
      super.putArchiveEntry(entry);
      return;
    }
    if (mirror != null) {
      pending = timeless(entry);
      content = entry.isFile() ? sha256() : null;
      contentFile = null;
      contentStamp = null;
    }
    if (uid != 0 || gid != 0) {
      entry.setUserId(uid);
      entry.setGroupId(gid);
    }
    if (zeroTimes) {
      entry.setModTime(0);
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
    if (content != null && !inPaxHeader) {
      content.update(b, off, len);
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
    if (pending != null) {
      byte[] digest = content == null ? null : content.digest();
      if (digest != null && contentFile != null) {
        hashes.learned(contentFile, contentStamp, digest);
      }
      emit(digest);
    }
  }

  @Override
  public void finish() throws IOException {
    if (!mirrorOnly) {
      super.finish();
    }
  }

  private void emit(byte[] digest) throws IOException {
    TarArchiveEntry e = pending;
    pending = null;
    content = null;
    contentFile = null;
    if (digest != null) {
      e.setSize(HASH_SIZE);
      mirror.putArchiveEntry(e);
      mirror.write(digest);
    } else {
      mirror.putArchiveEntry(e);
    }
    mirror.closeArchiveEntry();
  }

  private static TarArchiveEntry timeless(TarArchiveEntry e) {
    TarArchiveEntry c = new TarArchiveEntry(e.getName(), e.getLinkFlag());
    c.setMode(e.getMode());
    c.setSize(e.isFile() ? HASH_SIZE : e.getSize());
    c.setLinkName(e.getLinkName());
    c.setUserId(0);
    c.setGroupId(0);
    c.setUserName("");
    c.setGroupName("");
    c.setModTime(0);
    return c;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
