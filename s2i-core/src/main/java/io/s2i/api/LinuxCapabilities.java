package io.s2i.api;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The names of Linux capabilities (capabilities(7), up to {@code CAP_CHECKPOINT_RESTORE}), as
 * {@code run.capDrop} takes them: with or without {@code CAP_}, in any case, or {@code ALL}.
 * The Docker engine refuses any other name; so does every engine here.
 */
public final class LinuxCapabilities {
  /** In the kernel's order (bit 0 first), without the {@code CAP_} prefix. */
  public static final List<String> NAMES = List.of(
      "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
      "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
      "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
      "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
      "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
      "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

  private LinuxCapabilities() {}

  /**
   * The name without {@code CAP_} in upper case ({@code ALL} for all), or empty when it names no
   * capability.
   */
  public static Optional<String> canonical(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.startsWith("CAP_")) {
      n = n.substring(4);
    }
    return n.equals("ALL") || NAMES.contains(n) ? Optional.of(n) : Optional.empty();
  }
}
