package io.s2i.archive;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar stream every archive of this package writes: POSIX long names and big numbers, an owner
 * forced on every entry when one is given, and optionally a mirror, a second tar that receives the
 * same entries with their times zeroed and root as owner (what an inputs digest reads, so that
 * the digest comes from the very bytes that are sent, without reading the files twice).
 */
final class EntryTarStream extends TarArchiveOutputStream {
  private final long uid;
  private final long gid;
  private final boolean zeroTimes;
  private TarArchiveOutputStream mirror;
  private boolean inPaxHeader;

  EntryTarStream(OutputStream out, long uid, long gid, boolean zeroTimes) {
    super(out);
    this.uid = uid;
    this.gid = gid;
    this.zeroTimes = zeroTimes;
    setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    setAddPaxHeadersForNonAsciiNames(true);
  }

  /** From now on every entry also goes to {@code mirror}. */
  void mirrorTo(TarArchiveOutputStream mirror) {
    this.mirror = mirror;
  }

  @Override
  public void putArchiveEntry(TarArchiveEntry entry) throws IOException {
    // The superclass writes a PAX header for a long name through this very method: the mirror
    // makes its own, so only real entries are mirrored.
    boolean pax = entry.isPaxHeader() || entry.isGlobalPaxHeader();
    if (mirror != null && !pax) {
      mirror.putArchiveEntry(timeless(entry));
    }
    if (uid != 0 || gid != 0) {
      entry.setUserId(uid);
      entry.setGroupId(gid);
    }
    if (zeroTimes) {
      entry.setModTime(0);
    }
    super.putArchiveEntry(entry);
    inPaxHeader = pax;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    super.write(b, off, len);
    if (mirror != null && !inPaxHeader) {
      mirror.write(b, off, len);
    }
  }

  @Override
  public void closeArchiveEntry() throws IOException {
    super.closeArchiveEntry();
    if (mirror != null && !inPaxHeader) {
      mirror.closeArchiveEntry();
    }
    inPaxHeader = false;
  }

  private static TarArchiveEntry timeless(TarArchiveEntry e) {
    TarArchiveEntry c = new TarArchiveEntry(e.getName(), e.getLinkFlag());
    c.setMode(e.getMode());
    c.setSize(e.getSize());
    c.setLinkName(e.getLinkName());
    c.setUserId(0);
    c.setGroupId(0);
    c.setUserName("");
    c.setGroupName("");
    c.setModTime(0);
    return c;
  }
}
