package io.s2i.engine.oci;

import io.s2i.internal.fs.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes containers left by a process that was killed outright (SIGKILL, power loss), which had
 * no chance to clean up: each live container holds a lock on a file in its directory, so a
 * directory whose lock can be taken belongs to nobody. Its runtime state is deleted, its root
 * unmounted and the directory removed.
 */
final class StaleContainers {
  static final String LOCK = "owner.lock";
  private static final Logger LOG = LoggerFactory.getLogger(StaleContainers.class);

  private StaleContainers() {}

  static void sweep(Path containers, OciContainerRunner.Runtime runtime) {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(containers)) {
      dirs = s.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return;
    }
    for (Path dir : dirs) {
      Path lockFile = dir.resolve(LOCK);
      if (!Files.exists(lockFile)) {
        continue; // being created right now (the lock comes first), or not ours
      }
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
          FileLock lock = ch.tryLock()) {
        if (lock == null) {
          continue; // a live build owns it
        }
        String id = dir.getFileName().toString();
        LOG.debug("removing container {} left by a killed build", id);
        Commands.run(List.of(runtime.binary().toString(), "--root", runtime.stateRoot().toString(),
            "delete", "--force", id));
        if (unmount(dir.resolve("rootfs")) && ScratchSpace.release(dir)) {
          FileTrees.deleteQuietly(dir);
        }
      } catch (OverlappingFileLockException ownedHere) {
        // a container of this process
      } catch (IOException e) {
        LOG.debug("cannot check container dir {}: {}", dir, e.getMessage());
      }
    }
  }

  /** Unmounts {@code rootfs} if mounted; false when it stays mounted. */
  static boolean unmount(Path rootfs) {
    if (!isMounted(rootfs)) {
      return true;
    }
    if (Commands.run(List.of("umount", rootfs.toString())).ok()) {
      return true;
    }
    // Still busy (a process we could not kill): detach it so the directory can go.
    Commands.Result lazy = Commands.run(List.of("umount", "-l", rootfs.toString()));
    if (!lazy.ok()) {
      LOG.warn("cannot unmount {}: {}", rootfs, lazy.oneLine());
    }
    return lazy.ok();
  }

  private static boolean isMounted(Path p) {
    try {
      String target = " " + p.toAbsolutePath() + " ";
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
    } catch (IOException e) {
      return true; // try the unmount anyway
    }
  }
}
