package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seccomp filter of a build container: Docker's default profile, so that a build under the
 * daemonless engine may make exactly the system calls it may make under Docker (no user or other
 * namespaces, no mounts, no kernel modules without the capability that allows them). The rules
 * live in {@code default-seccomp.rules} (see its header); each container gets the runtime spec's
 * {@code linux.seccomp} for its own capabilities and this machine's architecture, as Docker
 * derives it.
 */
final class SeccompProfile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ARG = Pattern.compile("arg(\\d)(?:&(\\d+))?(==|!=)(\\d+)");
  private static final List<Rule> RULES = load();

  /** One line of the rules file. */
  record Rule(String action, int errno, List<String> conditions, List<String> syscalls) {}

  private SeccompProfile() {}

  /**
   * The {@code linux.seccomp} object for a container with {@code capabilities} ({@code CAP_X}) on
   * a machine of Java's {@code os.arch} {@code javaArch}.
   */
  static ObjectNode forContainer(Set<String> capabilities, String javaArch, String kernel) {
    String arch = goArch(javaArch);
    ObjectNode seccomp = JSON.createObjectNode();
    seccomp.put("defaultAction", "SCMP_ACT_ERRNO");
    ArrayNode architectures = seccomp.putArray("architectures");
    ARCHITECTURES.getOrDefault(arch, List.of()).forEach(architectures::add);
    ArrayNode syscalls = seccomp.putArray("syscalls");
    for (Rule rule : RULES) {
      ArrayNode args = JSON.createArrayNode();
      if (!applies(rule, capabilities, arch, kernel, args)) {
        continue;
      }
      ObjectNode s = syscalls.addObject();
      rule.syscalls().forEach(s.putArray("names")::add);
      s.put("action", rule.action());
      if (rule.action().equals("SCMP_ACT_ERRNO")) {
        s.put("errnoRet", rule.errno());
      }
      if (!args.isEmpty()) {
        s.set("args", args);
      }
    }
    return seccomp;
  }

  /** The architectures a filter covers on each (Go-named) machine, native first, as Docker's archMap. */
  private static final Map<String, List<String>> ARCHITECTURES = Map.of(
      "amd64", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
      "arm64", List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"),
      "s390x", List.of("SCMP_ARCH_S390X", "SCMP_ARCH_S390"),
      "ppc64le", List.of("SCMP_ARCH_PPC64LE"),
      "riscv64", List.of("SCMP_ARCH_RISCV64"));

  /** Java's {@code os.arch} in Go's words, which the rules use. */
  static String goArch(String javaArch) {
    return switch (javaArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> javaArch.toLowerCase(Locale.ROOT);
    };
  }

  private static boolean applies(Rule rule, Set<String> caps, String arch, String kernel, ArrayNode args) {
    for (String c : rule.conditions()) {
      int eq = c.indexOf('=');
      String key = eq < 0 ? c : c.substring(0, eq);
      String value = eq < 0 ? "" : c.substring(eq + 1);
      boolean ok = switch (key) {
        case "cap" -> caps.contains(value);
        case "nocap" -> !caps.contains(value);
        case "arch" -> Arrays.asList(value.split(",")).contains(arch);
        case "noarch" -> !Arrays.asList(value.split(",")).contains(arch);
        case "minkernel" -> atLeast(kernel, value);
        default -> addArg(c, args);
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean addArg(String condition, ArrayNode args) {
    Matcher m = ARG.matcher(condition);
    if (!m.matches()) {
      throw new IllegalStateException("default-seccomp.rules: unknown condition " + condition);
    }
    ObjectNode a = args.addObject();
    a.put("index", Integer.parseInt(m.group(1)));
    if (m.group(2) != null) {
      // libseccomp's masked compare: (arg & value) == valueTwo
      a.put("value", Long.parseLong(m.group(2)));
      a.put("valueTwo", Long.parseLong(m.group(4)));
      a.put("op", "SCMP_CMP_MASKED_EQ");
    } else {
      a.put("value", Long.parseLong(m.group(4)));
      a.put("valueTwo", 0);
      a.put("op", m.group(3).equals("==") ? "SCMP_CMP_EQ" : "SCMP_CMP_NE");
    }
    return true;
  }

  /** Whether kernel version {@code kernel} (such as {@code 6.1.0-18-amd64}) is at least {@code min}. */
  static boolean atLeast(String kernel, String min) {
    int[] k = version(kernel);
    int[] m = version(min);
    return k[0] != m[0] ? k[0] > m[0] : k[1] >= m[1];
  }

  private static int[] version(String text) {
    Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(text);
    return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : new int[] {0, 0};
  }

  private static List<Rule> load() {
    try (InputStream in = SeccompProfile.class.getResourceAsStream("default-seccomp.rules")) {
      if (in == null) {
        throw new IllegalStateException("default-seccomp.rules is missing from the engine's jar");
      }
      List<Rule> rules = new ArrayList<>();
      for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        String[] head = line.substring(0, colon).trim().split("\\s+");
        List<String> syscalls = List.of(line.substring(colon + 1).trim().split("\\s+"));
        String action = head[0].equals("allow") ? "SCMP_ACT_ALLOW" : "SCMP_ACT_ERRNO";
        int errno = head[0].startsWith("errno=") ? Integer.parseInt(head[0].substring(6)) : 1;
        List<String> conditions = head.length > 2 && head[1].equals("when")
            ? List.of(Arrays.copyOfRange(head, 2, head.length)) : List.of();
        rules.add(new Rule(action, errno, conditions, syscalls));
      }
      return List.copyOf(rules);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
