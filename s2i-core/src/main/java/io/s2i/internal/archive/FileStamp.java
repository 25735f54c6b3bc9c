package io.s2i.internal.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What tells whether a file may have changed without reading it: size, modification and change
 * times (nanoseconds) and inode. The change time cannot be set back by a program, so a rewrite
 * that keeps size and modification time still changes the stamp.
 */
public record FileStamp(long size, long mtimeNanos, long ctimeNanos, long inode) {
  /** The stamp of {@code file} (following links, as the archive reads it). */
  public static FileStamp of(Path file) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
    return new FileStamp((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
        nanos((FileTime) a.get("ctime")), (Long) a.get("ino"));
  }

  /** Whether the file changed so recently that a change within the clock's grain could go unseen. */
  public boolean racy(long nowNanos) {
    long margin = TimeUnit.SECONDS.toNanos(2);
    return mtimeNanos > nowNanos - margin || ctimeNanos > nowNanos - margin;
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }
}
