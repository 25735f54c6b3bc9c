package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BuildIT}'s scenarios on the daemonless engine with copied container roots
 * ({@code S2I_OCI_ROOTFS=copy}), as where overlayfs cannot be used.
 */
class BuildOnOciCopyIT extends BuildOnOciIT {
  @Override
  Map<String, String> withEngine(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(super.withEngine(env));
    all.putIfAbsent("S2I_OCI_ROOTFS", "copy");
    return all;
  }

  @Test
  void scenariosRunOnCopiedRoots() {
    var r = s2i("build", app("plain"), fixture("builder"), outputImage("copy-mode"), "-p", "never", "--loglevel", "5");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.stderr()).contains("copies of the image's layers (S2I_OCI_ROOTFS=copy)")
        .contains("root copied from");
  }
}
