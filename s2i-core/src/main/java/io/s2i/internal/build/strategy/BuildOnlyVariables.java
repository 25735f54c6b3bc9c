package io.s2i.internal.build.strategy;

import io.s2i.api.EnvVar;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.util.List;

/**
 * The refusal of build-only variables where a Dockerfile carries the environment: an {@code ENV}
 * line is kept in the image it builds, so the value would be in the image for anyone who pulls it.
 */
final class BuildOnlyVariables {
  private BuildOnlyVariables() {}

  /**
   * @param how the build that would write the Dockerfile, as the message names it
   * @throws S2iException {@link FailureReason#INVALID_REQUEST} naming the first build-only variable
   */
  static void refuse(List<EnvVar> env, String how) throws S2iException {
    for (EnvVar e : env) {
      if (e.buildOnly()) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "the build-only variable " + e.name() + " cannot be given to " + how
                + ": its Dockerfile would keep the value in the image",
            "build with a builder that runs assemble (no ONBUILD triggers, no --as-dockerfile), or make "
                + e.name() + " an ordinary variable");
      }
    }
  }
}
