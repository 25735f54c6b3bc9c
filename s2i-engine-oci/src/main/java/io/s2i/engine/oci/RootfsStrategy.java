package io.s2i.engine.oci;

import io.s2i.engine.EngineUnavailableException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an engine makes its containers' root file systems ({@code S2I_OCI_ROOTFS}): an overlayfs
 * mount over the cached layers ({@code overlay}), a plain directory the layers are applied to one
 * after the other ({@code copy}), or overlayfs while it works ({@code auto}, the default).
 *
 * <p>Why a copy at all: overlayfs is missing from some kernels and refuses some places, such as an
 * upper dir on overlayfs itself (s2i running in a container) or on a file system without the
 * xattrs it needs. A copy costs a pass over the image's layers per container, but runs anywhere
 * runc does. {@code auto} gives up on overlayfs at its first failure (other than a refused
 * permission, which no copy cures: the runtime needs mounts too), for the rest of the engine's
 * life, so later containers do not try again.
 */
final class RootfsStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(RootfsStrategy.class);

  /** The setting. */
  enum Mode {
    AUTO,
    OVERLAY,
    COPY
  }

  private final Mode setting;
  private volatile String overlayFailure;
  private final AtomicInteger overlayAttempts = new AtomicInteger();

  RootfsStrategy(Mode setting) {
    this.setting = setting;
    if (setting != Mode.AUTO) {
      LOG.debug("container roots: {} (S2I_OCI_ROOTFS={})",
          setting == Mode.COPY ? "copies of the image's layers" : "overlayfs", setting.name().toLowerCase(Locale.ROOT));
    }
  }

  static RootfsStrategy fromEnvironment(Map<String, String> env) throws EngineUnavailableException {
    String value = env.getOrDefault("S2I_OCI_ROOTFS", "auto").trim();
    return new RootfsStrategy(switch (value) {
      case "", "auto" -> Mode.AUTO;
      case "overlay" -> Mode.OVERLAY;
      case "copy" -> Mode.COPY;
      default -> throw new EngineUnavailableException("S2I_OCI_ROOTFS=" + value + " is not a root file system setting",
          "set it to auto, overlay or copy", null);
    });
  }

  Mode setting() {
    return setting;
  }

  /** Whether the next container tries overlayfs (counted, so tests can tell it was not retried). */
  boolean tryOverlay() {
    boolean overlay = setting == Mode.OVERLAY || (setting == Mode.AUTO && overlayFailure == null);
    if (overlay) {
      overlayAttempts.incrementAndGet();
    }
    return overlay;
  }

  /** Whether a failure of overlayfs may fall back to a copy. */
  boolean mayCopy() {
    return setting == Mode.AUTO;
  }

  /** Records that overlayfs failed for {@code why}: every later container is a copy. */
  void overlayUnavailable(String why) {
    if (overlayFailure == null) {
      overlayFailure = why;
      LOG.debug("container roots: copies of the image's layers, as overlayfs cannot be used here ({})", why);
    }
  }

  /** Whether containers are copies now (after auto fell back, or by the setting). */
  boolean copying() {
    return setting == Mode.COPY || (setting == Mode.AUTO && overlayFailure != null);
  }

  /** Why {@code auto} gave up on overlayfs, if it did. */
  java.util.Optional<String> overlayFailure() {
    return java.util.Optional.ofNullable(overlayFailure);
  }

  int overlayAttempts() {
    return overlayAttempts.get();
  }
}
