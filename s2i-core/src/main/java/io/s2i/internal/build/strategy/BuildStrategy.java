package io.s2i.internal.build.strategy;

import io.s2i.api.BuildResult;
import io.s2i.api.S2iException;
import io.s2i.internal.build.BuildSession;
import io.s2i.internal.contract.BuilderImageContract;

/** One way of turning a request into an image; straight-line code over the steps. */
public interface BuildStrategy {
  /** Builds with {@code builder}, already made available and inspected. */
  BuildResult execute(BuildSession session, BuilderImageContract builder)
      throws S2iException, InterruptedException;
}
