package io.s2i.internal.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the archives need to know of a file, read with one {@code stat}: type, permission bits,
 * size, times and identity (several calls of the NIO API cost a system call each, and a source
 * tree has thousands of files).
 */
record UnixAttributes(int mode, long size, FileTime mtime, FileTime ctime, long inode, long device) {
  private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ctime,ino,dev";
  private static final int S_IFMT = 0170000;

  static UnixAttributes read(Path p, LinkOption... options) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, options);
    return new UnixAttributes((Integer) a.get("mode"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"),
        (FileTime) a.get("ctime"), (Long) a.get("ino"), (Long) a.get("dev"));
  }

  boolean isDirectory() {
    return (mode & S_IFMT) == 0040000;
  }

  boolean isRegularFile() {
    return (mode & S_IFMT) == 0100000;
  }

  boolean isSymbolicLink() {
    return (mode & S_IFMT) == 0120000;
  }

  /** The rwx bits, as the archives keep them. */
  int permissions() {
    return mode & 0777;
  }

  /** Identifies the file (for loops through symlinks). */
  Object key() {
    return List.of(device, inode);
  }

  FileStamp stamp() {
    return new FileStamp(size, mtime.to(TimeUnit.NANOSECONDS), ctime.to(TimeUnit.NANOSECONDS), inode);
  }
}
