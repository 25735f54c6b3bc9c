package io.s2i.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes single entries with normalised ownership (root), so that the files belong to whoever
 * unpacks them when that is not root, and to root otherwise, never to a stray host uid.
 */
final class TarEntries {
  private TarEntries() {}

  static EntryTarStream open(java.io.OutputStream out) {
    return open(out, 0, 0);
  }

  /** A tar stream whose every entry gets the given owner (for archives unpacked by the engine). */
  static EntryTarStream open(java.io.OutputStream out, long uid, long gid) {
    return new EntryTarStream(out, uid, gid);
  }

  static void directory(TarArchiveOutputStream tar, String name, int mode, FileTime mtime)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | (mode & 07777));
    normalise(e, mtime);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  static void file(TarArchiveOutputStream tar, String name, Path content, int mode, FileTime mtime)
      throws IOException {
    file(tar, name, content, Files.size(content), null, mode, mtime);
  }

  /**
   * As above, for a caller that has read the file's size and stamp already (null: not known). An
   * unreadable file fails on opening, before anything of its entry is written.
   */
  static void file(TarArchiveOutputStream tar, String name, Path content, long size, FileStamp stamp, int mode,
      FileTime mtime) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | (mode & 07777));
    normalise(e, mtime);
    if (tar instanceof EntryTarStream entries) {
      entries.file(e, content, stamp);
      return;
    }
    try (InputStream in = Files.newInputStream(content)) {
      tar.putArchiveEntry(e);
      long copied = in.transferTo(tar);
      if (copied != size) {
        throw new IOException(content + " changed size while it was being archived");
      }
    }
    tar.closeArchiveEntry();
  }

  static void bytes(TarArchiveOutputStream tar, String name, byte[] content, int mode, FileTime mtime)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | (mode & 07777));
    normalise(e, mtime);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  static void symlink(TarArchiveOutputStream tar, String name, String target, FileTime mtime)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0120777);
    normalise(e, mtime);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void normalise(TarArchiveEntry e, FileTime mtime) {
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(mtime);
  }

  /** The permission bits of a file as a number. */
  static int mode(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= switch (p) {
        case OWNER_READ -> 0400;
        case OWNER_WRITE -> 0200;
        case OWNER_EXECUTE -> 0100;
        case GROUP_READ -> 040;
        case GROUP_WRITE -> 020;
        case GROUP_EXECUTE -> 010;
        case OTHERS_READ -> 04;
        case OTHERS_WRITE -> 02;
        case OTHERS_EXECUTE -> 01;
      };
    }
    return mode;
  }
}
