package io.s2i.build.strategy;

import io.s2i.api.BuildResult;
import io.s2i.api.S2iException;
import io.s2i.build.BuildSession;

/** One way of turning a request into an image; straight-line code over the steps. */
public interface BuildStrategy {
  BuildResult execute(BuildSession session) throws S2iException, InterruptedException;
}
