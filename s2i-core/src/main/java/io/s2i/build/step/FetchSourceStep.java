package io.s2i.build.step;

import io.s2i.api.EventSink;
import io.s2i.api.SourceSpec;
import io.s2i.source.LocalSourceFetcher;
import io.s2i.source.PreparedSource;
import io.s2i.source.SourceFetchException;
import io.s2i.source.SourceLocation;

/** Turns the source argument into a prepared source directory. */
public final class FetchSourceStep {
  private final EventSink events;

  public FetchSourceStep(EventSink events) {
    this.events = events;
  }

  public PreparedSource run(SourceSpec spec) throws SourceFetchException {
    SourceLocation location = SourceLocation.parse(spec.location());
    if (location instanceof SourceLocation.Local local) {
      PreparedSource source = new LocalSourceFetcher().fetch(spec, local);
      events.detail("Using sources from " + source.root());
      return source;
    }
    throw new SourceFetchException(
        "git source " + spec.location() + " is not supported by this version",
        "clone the repository and build the local directory");
  }
}
