package io.s2i.engine.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The runtime's flags when s2i itself runs in an unprivileged container (s2i's own image under
 * Docker or Kubernetes), seen from the cgroup file system being mounted read-only:
 *
 * <ul>
 *   <li>no cgroups of the build containers' own: a runtime that tries to make one fails before the
 *       container starts, so runc gets {@code --rootless true} (it then ignores cgroup permission
 *       errors) and crun {@code --cgroup-manager=disabled}; the build's processes stay in s2i's
 *       cgroup, under the limits of the container s2i runs in;
 *   <li>no new session keyring ({@code --no-new-keyring}): the container engines' default seccomp
 *       profiles refuse {@code keyctl}, which the runtime treats as fatal; the build container
 *       shares the session keyring of s2i's own container, which holds nothing;
 *   <li>a chroot jail rather than {@code pivot_root} ({@code --no-pivot}): the default seccomp
 *       profiles of Docker and of Kubernetes' runtimes refuse {@code pivot_root} whatever the
 *       capabilities (OpenShift's own builder image builds with chroot isolation for the same
 *       reason). So that a build cannot leave the jail for s2i's container (where registry
 *       credentials may be mounted), build containers then lose {@code CAP_SYS_CHROOT}.
 * </ul>
 */
final class NestedRuntimeFlags {
  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
  private static volatile Boolean nested;

  private NestedRuntimeFlags() {}

  /** Flags before the runtime's command. */
  static List<String> global(Path runtime) {
    if (!nested()) {
      return List.of();
    }
    return isCrun(runtime) ? List.of("--cgroup-manager=disabled") : List.of("--rootless", "true");
  }

  /** Flags of its {@code run} command. */
  static List<String> run(Path runtime) {
    return nested() ? List.of("--no-new-keyring", "--no-pivot") : List.of();
  }

  /** The capabilities to drop from a build container: {@code capDrop}, and SYS_CHROOT when jailed by chroot. */
  static List<String> capDrop(List<String> capDrop) {
    if (!nested() || capDrop.stream().anyMatch(c -> c.equalsIgnoreCase("SYS_CHROOT") || c.equalsIgnoreCase("ALL"))) {
      return capDrop;
    }
    List<String> all = new java.util.ArrayList<>(capDrop);
    all.add("SYS_CHROOT");
    return all;
  }

  private static boolean isCrun(Path runtime) {
    return runtime.getFileName().toString().contains("crun");
  }

  private static boolean nested() {
    Boolean n = nested;
    if (n == null) {
      // cgroup v2 has one hierarchy at the root; v1 one per controller (cpuset is always there).
      Path probe = Files.exists(CGROUPS.resolve("cgroup.controllers")) ? CGROUPS : CGROUPS.resolve("cpuset");
      n = !(Files.isDirectory(probe) && Files.isWritable(probe));
      nested = n;
    }
    return n;
  }
}
