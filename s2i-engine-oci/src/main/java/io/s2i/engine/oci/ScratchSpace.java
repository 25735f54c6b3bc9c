package io.s2i.engine.oci;

import io.s2i.engine.EngineUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a container's writable layer (the overlayfs upper and work dirs) lives: a tmpfs of its own,
 * or the cache's disk.
 *
 * <p>Why memory by default: an s2i build writes thousands of small files (the unpacked sources,
 * their copy in the app dir) and then deletes the sources again. On a disk file system that is
 * journal and metadata work (and, with {@code discard}, device trims); measured here, unpacking and
 * copying a 5,000-file app took 3 s of kernel time on ext4 and 0.3 s on tmpfs. The layer is read
 * once at commit and thrown away, so it never needs to be durable. A tmpfs only takes the memory
 * its files use; its size is a cap, and unmounting it frees everything at once.
 *
 * <p>{@code S2I_OCI_SCRATCH}: {@code auto} (default: memory when at least 4 GiB are available,
 * capped at half of what is available), {@code memory}, {@code memory:SIZE} (e.g.
 * {@code memory:8g}), or {@code disk}.
 */
record ScratchSpace(Optional<Long> tmpfsBytes) {
  static final String DIR = "scratch";
  private static final Logger LOG = LoggerFactory.getLogger(ScratchSpace.class);
  private static final long AUTO_MINIMUM = 4L << 30;
  private static final Pattern SIZED = Pattern.compile("memory(?::(\\d+)([kmgKMG]?))?");

  static ScratchSpace disk() {
    return new ScratchSpace(Optional.empty());
  }

  static ScratchSpace fromEnvironment(Map<String, String> env) throws EngineUnavailableException {
    String setting = env.getOrDefault("S2I_OCI_SCRATCH", "auto").trim();
    long available = memAvailable();
    if (setting.isEmpty() || setting.equals("auto")) {
      ScratchSpace s = available >= AUTO_MINIMUM ? new ScratchSpace(Optional.of(available / 2)) : disk();
      LOG.debug("container layers in {} ({} MiB of memory available)",
          s.inMemory() ? "memory (tmpfs, up to " + (available / 2 >> 20) + " MiB each)" : "the cache on disk",
          available >> 20);
      return s;
    }
    if (setting.equals("disk")) {
      return disk();
    }
    Matcher m = SIZED.matcher(setting);
    if (!m.matches()) {
      throw new EngineUnavailableException("S2I_OCI_SCRATCH=" + setting + " is not a scratch setting",
          "set it to auto, memory, memory:SIZE (such as memory:8g) or disk", null);
    }
    if (m.group(1) == null) {
      return new ScratchSpace(Optional.of(Math.max(available / 2, 1L << 30)));
    }
    long unit = switch (m.group(2).toLowerCase()) {
      case "k" -> 1L << 10;
      case "m" -> 1L << 20;
      case "g" -> 1L << 30;
      default -> 1L;
    };
    return new ScratchSpace(Optional.of(Long.parseLong(m.group(1)) * unit));
  }

  boolean inMemory() {
    return tmpfsBytes.isPresent();
  }

  /**
   * The directory to hold the container's upper and work dirs: a fresh tmpfs mounted in the
   * container's directory, or that directory itself.
   */
  Path prepare(Path containerDir) throws IOException {
    if (tmpfsBytes.isEmpty()) {
      return containerDir;
    }
    Path scratch = Files.createDirectory(containerDir.resolve(DIR));
    Commands.Result r = Commands.run(List.of("mount", "-t", "tmpfs", "-o",
        "size=" + tmpfsBytes.get() + ",mode=0700", "s2i-scratch", scratch.toString()));
    if (!r.ok()) {
      // A kernel or sandbox without tmpfs mounts still builds, only slower.
      LOG.debug("cannot mount a tmpfs for the container layer, using the disk: {}", r.oneLine());
      return containerDir;
    }
    return scratch;
  }

  /** Whether a line of a script's output reports ENOSPC, as every tool words it. */
  static boolean saysNoSpace(String line) {
    return line.toLowerCase(java.util.Locale.ROOT).contains("no space left on device");
  }

  /** Unmounts the container's tmpfs, if it has one; false when it stays mounted. */
  static boolean release(Path containerDir) {
    return StaleContainers.unmount(containerDir.resolve(DIR));
  }

  private static long memAvailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("cannot read /proc/meminfo: {}", e.getMessage());
    }
    return 0;
  }
}
