package io.s2i.service.executor;

import io.s2i.service.model.BuildPhase;
import io.s2i.service.store.InputTokens;
import java.util.Optional;

/**
 * What the server gives an executor that runs builds away from it (a Kubernetes Job): where the
 * server answers, one-time tokens for fetching a build's binary input, and the phase the store has
 * for a build (for clearing up what belongs to builds that ended or were deleted).
 */
public interface ExecutorContext {
  /** The server's base URL, e.g. {@code http://127.0.0.1:8080}; waits until the server listens. */
  String serverUrl();

  /** The one-time tokens of binary inputs. */
  InputTokens inputTokens();

  /** The phase of a build as the store has it; empty when the build no longer exists. */
  Optional<BuildPhase> phase(long buildId);
}
