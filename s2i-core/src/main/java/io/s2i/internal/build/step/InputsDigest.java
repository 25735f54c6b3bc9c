package io.s2i.internal.build.step;

import io.s2i.api.S2iException;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.archive.ArchiveMirror;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.build.RuntimeImage;
import io.s2i.internal.contract.S2iLabels;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a build's inputs digest ({@link S2iLabels#INPUTS_DIGEST}) is taken, whichever way
 * is cheapest: read ahead of the build when an image to compare with carries the tag (using the
 * source scan taken while the builder was inspected, {@link SourceDigestPrefetch}), else from the
 * sources as they stream into the container, else, when the container stopped reading before the
 * end, by reading them once more. {@link ComputeInputsDigestStep} says what goes into it.
 */
public final class InputsDigest {
  private final BuildSession session;
  private final AssemblePlan plan;
  private final Optional<RuntimeImage> runtime;
  private Optional<String> known = Optional.empty();
  private Optional<ComputeInputsDigestStep.Streamed> streamed = Optional.empty();

  private InputsDigest(BuildSession session, AssemblePlan plan, Optional<RuntimeImage> runtime) {
    this.session = session;
    this.plan = plan;
    this.runtime = runtime;
  }

  /** The digest of a build; only a tagged build records one. */
  public static InputsDigest of(BuildSession session, AssemblePlan plan, Optional<RuntimeImage> runtime) {
    return new InputsDigest(session, plan, runtime);
  }

  /**
   * Whether {@code existing} (the image carrying the tag) was built from the same inputs. Takes
   * the digest now, reading the sources ahead of the build.
   */
  public boolean sameAs(ImageInfo existing) throws S2iException, InterruptedException {
    if (!recorded()) {
      return false;
    }
    String digest = session.step("DigestInputs", () -> step().run(session.request(), plan, runtime,
        session.scannedSource()));
    known = Optional.of(digest);
    return existing.label(S2iLabels.INPUTS_DIGEST).equals(known);
  }

  /**
   * What to hand the input archive so that the digest is taken as it is sent: empty when the
   * digest is already known or not recorded.
   */
  public Optional<ArchiveMirror> mirror() throws S2iException {
    if (!recorded() || known.isPresent()) {
      return Optional.empty();
    }
    if (streamed.isEmpty()) {
      streamed = Optional.of(step().streamed(session.request(), plan, runtime));
    }
    return streamed.map(ArchiveMirror.class::cast);
  }

  /** The label to write on the output: the digest, or nothing for an untagged build. */
  public Map<String, String> label() throws S2iException {
    if (!recorded()) {
      return Map.of();
    }
    if (known.isEmpty()) {
      known = streamed.flatMap(ComputeInputsDigestStep.Streamed::result);
    }
    if (known.isEmpty()) {
      // Never streamed, or the container stopped reading before the end (it needed no more).
      known = Optional.of(step().run(session.request(), plan, runtime));
    }
    return Map.of(S2iLabels.INPUTS_DIGEST, known.get());
  }

  private boolean recorded() {
    return session.request().tag().isPresent();
  }

  private ComputeInputsDigestStep step() {
    return new ComputeInputsDigestStep(session.workspace().root());
  }
}
