package io.s2i.internal.build.step;

import io.s2i.api.BuildRequest;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.DirectoryTree;
import io.s2i.internal.archive.FileHashCache;
import io.s2i.internal.archive.SourceMirror;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.S2iLabels;
import io.s2i.engine.ImageStore;
import io.s2i.internal.source.PreparedSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The source half of an unchanged rebuild's inputs digest, taken on the fetch thread: while the
 * main thread inspects the builder image, the source tree is walked and its file digests looked
 * up, so that {@link ComputeInputsDigestStep} only has the options and scripts left to do. Taken
 * only when the tag names an image that records its inputs (otherwise the digest streams with the
 * sources) and the sources are a directory of the user's (a fresh clone has no kept digests).
 */
public final class SourceDigestPrefetch {
  private SourceDigestPrefetch() {}

  /** The scanned source, or empty when there is nothing to compare with or the scan gave up. */
  public static Optional<SourceMirror> scan(BuildRequest request, PreparedSource source, ImageStore images,
      Path workspace, BooleanSupplier cancelled) {
    Path root = source.root().toAbsolutePath().normalize();
    if (request.tag().isEmpty() || !request.outputOptions().reuseUnchanged()
        || root.startsWith(workspace.toAbsolutePath().normalize())) {
      return Optional.empty();
    }
    // The tag is inspected beside the scan, not before it: a first build cancels the scan as soon
    // as it learns there is nothing to compare with, an unchanged rebuild gains the inspect's time.
    CompletableFuture<Boolean> comparable = new CompletableFuture<>();
    Thread inspecting = new Thread(() -> {
      try {
        comparable.complete(images.inspect(request.tag().get().withDefaultTag())
            .flatMap(i -> i.label(S2iLabels.INPUTS_DIGEST)).isPresent());
      } catch (S2iException | RuntimeException e) {
        comparable.complete(false);
      }
    }, "s2i-inspect-tag");
    inspecting.setDaemon(true);
    inspecting.start();
    try {
      // Before the scripts are known: files the scripts take out of the tree are left out on replay.
      DirectoryTree tree = SourceTreeFactory.of(source, request.source().excludePattern(),
          request.source().keepSymlinks(), List.of(), ContractPaths.SRC_DIR, Set.of());
      DirectoryTree stoppable = new DirectoryTree(tree.root(), tree.prefix(), rel -> {
        if (cancelled.getAsBoolean() || !comparable.getNow(true)) {
          throw new Cancelled();
        }
        return tree.excluded().test(rel);
      }, tree.keepSymlinks());
      FileHashCache hashes = FileHashCache.forSourceRoot(root);
      SourceMirror scanned = SourceMirror.scan(stoppable, hashes);
      if (!answered(comparable, cancelled)) {
        return Optional.empty();
      }
      hashes.save();
      return Optional.of(scanned);
    } catch (S2iException | IOException | Cancelled e) {
      // Only a head start: the digest step reports what is wrong when it walks the tree itself.
      return Optional.empty();
    }
  }

  /** Waits for the inspect's answer, giving up (false) when the build ends first. */
  private static boolean answered(CompletableFuture<Boolean> comparable, BooleanSupplier cancelled) {
    while (!cancelled.getAsBoolean()) {
      try {
        return comparable.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // ask again whether the build still wants it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException e) {
        return false;
      }
    }
    return false;
  }

  /** The build ended first. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }
}
