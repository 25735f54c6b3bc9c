package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.api.FailureReason;
import io.s2i.engine.EngineException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {
  private static Set<String> defaultCaps() throws EngineException {
    return new HashSet<>(RuntimeSpec.capabilities(List.of()));
  }

  /** The rules that name {@code syscall}. */
  private static List<JsonNode> rulesFor(JsonNode seccomp, String syscall) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode rule : seccomp.get("syscalls")) {
      for (JsonNode name : rule.get("names")) {
        if (name.asText().equals(syscall)) {
          found.add(rule);
        }
      }
    }
    return found;
  }

  @Test
  void withDockersDefaultCapabilitiesNoNamespaceCanBeMade() throws Exception {
    JsonNode s = SeccompProfile.forContainer(defaultCaps(), "amd64", "6.1.0");
    assertThat(s.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(s.get("architectures")).extracting(JsonNode::asText)
        .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    for (String call : List.of("unshare", "setns", "mount", "umount2", "bpf", "kexec_load", "init_module")) {
      assertThat(rulesFor(s, call)).as(call).isEmpty();
    }
    // clone only without the CLONE_NEW* flags; clone3 answers ENOSYS so that libc falls back to clone.
    assertThat(rulesFor(s, "clone")).singleElement().satisfies(rule -> {
      JsonNode arg = rule.get("args").get(0);
      assertThat(arg.get("index").asInt()).isZero();
      assertThat(arg.get("op").asText()).isEqualTo("SCMP_CMP_MASKED_EQ");
      assertThat(arg.get("value").asLong()).isEqualTo(0x7E020000L);
      assertThat(arg.get("valueTwo").asLong()).isZero();
    });
    assertThat(rulesFor(s, "clone3")).singleElement().satisfies(rule -> {
      assertThat(rule.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
      assertThat(rule.get("errnoRet").asInt()).isEqualTo(38);
    });
    assertThat(rulesFor(s, "read")).singleElement()
        .satisfies(rule -> assertThat(rule.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW"));
    assertThat(rulesFor(s, "arch_prctl")).hasSize(1);
    assertThat(rulesFor(s, "chroot")).as("CAP_SYS_CHROOT is a default capability").hasSize(1);
  }

  @Test
  void capabilitiesWidenOrNarrowItAsDockersDo() throws Exception {
    Set<String> admin = defaultCaps();
    admin.add("CAP_SYS_ADMIN");
    JsonNode s = SeccompProfile.forContainer(admin, "aarch64", "6.1.0");
    assertThat(rulesFor(s, "unshare")).hasSize(1);
    assertThat(rulesFor(s, "clone3")).singleElement()
        .satisfies(rule -> assertThat(rule.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW"));
    assertThat(rulesFor(s, "arch_prctl")).isEmpty();
    assertThat(s.get("architectures").get(0).asText()).isEqualTo("SCMP_ARCH_AARCH64");

    JsonNode dropped = SeccompProfile.forContainer(new HashSet<>(RuntimeSpec.capabilities(List.of("SYS_CHROOT"))),
        "amd64", "6.1.0");
    assertThat(rulesFor(dropped, "chroot")).isEmpty();
  }

  @Test
  void unknownCapabilityNamesAreRefusedAsDockerRefusesThem() throws Exception {
    assertThat(RuntimeSpec.capabilities(List.of("cap_kill", "MKNOD"))).doesNotContain("CAP_KILL", "CAP_MKNOD");
    assertThat(RuntimeSpec.capabilities(List.of("ALL"))).isEmpty();
    assertThatThrownBy(() -> RuntimeSpec.capabilities(List.of("KILL", "FLY")))
        .isInstanceOfSatisfying(EngineException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_REQUEST))
        .hasMessageContaining("\"FLY\"");
  }

  @Test
  void kernelVersionsCompareByMajorThenMinor() {
    assertThat(SeccompProfile.atLeast("6.18.44-fc", "4.8")).isTrue();
    assertThat(SeccompProfile.atLeast("4.19.0", "4.8")).isTrue();
    assertThat(SeccompProfile.atLeast("4.4.0", "4.8")).isFalse();
  }
}
