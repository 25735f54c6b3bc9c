package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import io.s2i.engine.EngineException;

/** Writes an OCI runtime-spec {@code config.json} with Docker's defaults for a build container. */
final class RuntimeSpec {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Docker's default capability set. */
  static final List<String> DEFAULT_CAPS = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER",
      "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT",
      "KILL", "AUDIT_WRITE");

  /** A mount of the container, as the runtime spec describes it. */
  record Mount(String destination, String type, String source, List<String> options) {}

  private RuntimeSpec() {}

  /**
   * {@code root}: the root file system's path, relative to the bundle; {@code seccomp}: whether
   * system calls are filtered as Docker's default profile does ({@link SeccompProfile}).
   */
  static byte[] write(String root, String hostname, List<String> args, List<String> env, String cwd, UserSpec user,
      List<String> capDrop, boolean hostNetwork, List<Mount> extraMounts, boolean seccomp)
      throws IOException, EngineException {
    ObjectNode c = JSON.createObjectNode();
    c.put("ociVersion", "1.0.2");
    ObjectNode p = c.putObject("process");
    p.put("terminal", false);
    ObjectNode u = p.putObject("user");
    u.put("uid", user.uid());
    u.put("gid", user.gid());
    ArrayNode extra = u.putArray("additionalGids");
    user.additionalGids().forEach(extra::add);
    args.forEach(p.putArray("args")::add);
    env.forEach(p.putArray("env")::add);
    p.put("cwd", cwd);
    List<String> caps = capabilities(capDrop);
    ObjectNode capabilities = p.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      caps.forEach(capabilities.putArray(set)::add);
    }
    // No rlimits: the container inherits s2i's, which a non-initial namespace may not raise.
    p.put("noNewPrivileges", false);
    ObjectNode rootNode = c.putObject("root");
    rootNode.put("path", root);
    rootNode.put("readonly", false);
    c.put("hostname", hostname);
    ArrayNode mounts = c.putArray("mounts");
    for (Mount m : standardMounts()) {
      add(mounts, m);
    }
    for (Mount m : extraMounts) {
      add(mounts, m);
    }
    ObjectNode linux = c.putObject("linux");
    ArrayNode ns = linux.putArray("namespaces");
    for (String n : hostNetwork ? List.of("pid", "ipc", "uts", "mount")
        : List.of("pid", "network", "ipc", "uts", "mount")) {
      ns.addObject().put("type", n);
    }
    List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi")
        .forEach(linux.putArray("maskedPaths")::add);
    List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")
        .forEach(linux.putArray("readonlyPaths")::add);
    if (seccomp) {
      linux.set("seccomp", SeccompProfile.forContainer(new java.util.HashSet<>(caps),
          System.getProperty("os.arch"), System.getProperty("os.version")));
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
  }

  /**
   * Docker's default set without {@code capDrop}.
   *
   * @throws EngineException for a name that is no capability, as the Docker engine refuses it
   */
  static List<String> capabilities(List<String> capDrop) throws EngineException {
    List<String> drop = new ArrayList<>();
    for (String d : capDrop) {
      drop.add(io.s2i.api.LinuxCapabilities.canonical(d).orElseThrow(() -> new EngineException(
          io.s2i.api.FailureReason.INVALID_REQUEST, "run.capDrop names an unknown capability \"" + d + "\"",
          "use Linux capability names such as NET_RAW or CAP_NET_RAW, or ALL", null)));
    }
    List<String> out = new ArrayList<>();
    if (drop.contains("ALL")) {
      return out;
    }
    for (String cap : DEFAULT_CAPS) {
      if (!drop.contains(cap)) {
        out.add("CAP_" + cap);
      }
    }
    return out;
  }

  private static List<Mount> standardMounts() {
    return List.of(
        new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
        new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        new Mount("/dev/pts", "devpts", "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
        new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
        new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
  }

  private static void add(ArrayNode mounts, Mount m) {
    ObjectNode o = mounts.addObject();
    o.put("destination", m.destination());
    o.put("type", m.type());
    o.put("source", m.source());
    m.options().forEach(o.putArray("options")::add);
  }
}
