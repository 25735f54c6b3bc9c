package io.s2i.cli.it;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link IncrementalIT}'s scenarios on the daemonless engine with copied container roots
 * ({@code S2I_OCI_ROOTFS=copy}), as where overlayfs cannot be used.
 */
class IncrementalOnOciCopyIT extends IncrementalOnOciIT {
  @Override
  Map<String, String> withEngine(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(super.withEngine(env));
    all.putIfAbsent("S2I_OCI_ROOTFS", "copy");
    return all;
  }
}
