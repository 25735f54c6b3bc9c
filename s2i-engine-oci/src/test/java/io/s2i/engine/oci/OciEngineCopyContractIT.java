package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.engine.ContainerHandle;
import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.engine.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine contract against the daemonless engine with copied container roots
 * ({@code S2I_OCI_ROOTFS=copy}): every scenario of {@link OciEngineContractIT} without overlayfs.
 */
class OciEngineCopyContractIT extends OciEngineContractIT {
  @BeforeAll
  static void openEngine() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("S2I_OCI_ROOTFS", "copy");
    engine = (OciEngine) EngineAvailability.openOrSkip("oci (S2I_OCI_ROOTFS=copy)",
        () -> new OciEngineProvider().open(env));
  }

  @Test
  void rootIsACopyThatAScriptCannotChangeTheCacheThrough() throws Exception {
    ContainerHandle c = create(shell("echo changed >> /etc/debian_version && cat /etc/debian_version").build());
    OciContainerHandle handle = (OciContainerHandle) c;
    assertThat(handle.copied()).isTrue();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .as("no overlayfs mount for a copied root").doesNotContain(handle.dir().resolve("rootfs").toString());
    RecordingSink sink = new RecordingSink();
    assertThat(c.run(Optional.empty(), sink).code()).isZero();
    assertThat(sink.stdout()).last().isEqualTo("changed");
    assertThat(engine.rootfs().overlayAttempts()).isZero();

    // The file was edited in place: a fresh container still has the image's version.
    ContainerHandle fresh = create(shell("cat /etc/debian_version").build());
    RecordingSink again = new RecordingSink();
    assertThat(fresh.run(Optional.empty(), again).code()).isZero();
    assertThat(again.stdout()).isNotEmpty().doesNotContain("changed");

    Path dir = handle.dir();
    c.close();
    assertThat(dir).doesNotExist();
  }
}
