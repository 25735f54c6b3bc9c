package io.s2i.internal.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process as other processes can recognise it later, even after it was killed outright: its
 * machine, boot, pid namespace, pid and start time. Written into the names of what a build leaves
 * with an engine (a Docker container's name, a volume's label), so that the next build can tell
 * whether the process that made a thing still runs. A pid alone is reused; with its start time it
 * is not.
 *
 * @param machine the first 8 hex digits of {@code /etc/machine-id} (or of the host name's hash)
 * @param boot the first 8 hex digits of the boot id
 * @param pidNamespace the inode of the pid namespace, in hex
 * @param pid the process id in that namespace
 * @param startTicks when the process started, in clock ticks since boot ({@code /proc/PID/stat})
 */
public record ProcessOwner(String machine, String boot, String pidNamespace, long pid, long startTicks) {
  private static final Pattern TOKEN = Pattern.compile("s2io-([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]+)-([0-9a-f]+)-([0-9a-f]+)");
  private static final Pattern NS = Pattern.compile("pid:\\[(\\d+)]");

  /** This process. */
  public static ProcessOwner current() {
    return Current.OWNER;
  }

  private static final class Current {
    static final ProcessOwner OWNER = read();

    private static ProcessOwner read() {
      long pid = ProcessHandle.current().pid();
      return new ProcessOwner(readMachine(), readBoot(), readPidNamespace(), pid, startTicks(pid).orElse(0L));
    }
  }

  /** {@code s2io-MACHINE-BOOT-PIDNS-PID-START}: fits a container name and a label value. */
  public String token() {
    return "s2io-" + machine + "-" + boot + "-" + pidNamespace + "-" + Long.toHexString(pid) + "-"
        + Long.toHexString(startTicks);
  }

  /** The owner a name or label carries, if it carries one. */
  public static Optional<ProcessOwner> find(String text) {
    Matcher m = TOKEN.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new ProcessOwner(m.group(1), m.group(2), m.group(3), Long.parseLong(m.group(4), 16),
        Long.parseLong(m.group(5), 16)));
  }

  /**
   * Whether this process is known to have ended, as far as this process can tell: it ran on this
   * machine in this pid namespace, and either the machine has booted since or its pid now names no
   * process, or another one. A process elsewhere is never judged.
   */
  public boolean gone() {
    ProcessOwner here = current();
    if (!machine.equals(here.machine) || !pidNamespace.equals(here.pidNamespace)) {
      return false;
    }
    if (!boot.equals(here.boot)) {
      return true;
    }
    if (pid == here.pid) {
      return startTicks != here.startTicks;
    }
    return startTicks(pid).map(t -> t != startTicks).orElse(true);
  }

  /** The start time of {@code pid}, empty when there is no such process. */
  static Optional<Long> startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) may hold spaces and parentheses: count from its closing one.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[19])); // field 22: starttime
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String readMachine() {
    for (String file : new String[] {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
      Optional<String> id = hex8(file);
      if (id.isPresent()) {
        return id.get();
      }
    }
    String host = System.getenv().getOrDefault("HOSTNAME", "unknown");
    return String.format(Locale.ROOT, "%08x", host.hashCode());
  }

  private static String readBoot() {
    return hex8("/proc/sys/kernel/random/boot_id").orElse("00000000");
  }

  private static Optional<String> hex8(String file) {
    try {
      String hex = Files.readString(Path.of(file)).replaceAll("[^0-9a-fA-F]", "").toLowerCase(Locale.ROOT);
      return hex.length() >= 8 ? Optional.of(hex.substring(0, 8)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String readPidNamespace() {
    try {
      Matcher m = NS.matcher(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
      return m.matches() ? Long.toHexString(Long.parseLong(m.group(1))) : "0";
    } catch (IOException | RuntimeException e) {
      return "0";
    }
  }
}
