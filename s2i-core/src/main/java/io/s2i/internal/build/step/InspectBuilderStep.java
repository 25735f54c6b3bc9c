package io.s2i.internal.build.step;

import io.s2i.api.BuildRequest;
import io.s2i.api.EventSink;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.ImageInfo;

/** Makes the builder image available under its pull policy and reads its contract. */
public final class InspectBuilderStep {
  private final ImageStore images;
  private final EventSink events;

  public InspectBuilderStep(ImageStore images, EventSink events) {
    this.images = images;
    this.events = events;
  }

  public BuilderImageContract run(BuildRequest request) throws EngineException {
    return run(request.builderImage(), request.builderPull());
  }

  /** The builder {@code image} under {@code pull}, with its contract. */
  public BuilderImageContract run(ImageRef image, PullPolicy pull) throws EngineException {
    String ref = image.withDefaultTag();
    ImageInfo info = images.ensure(ref, pull);
    events.debug("Builder image " + ref + " is " + info.id());
    return new BuilderImageContract(ref, info, events);
  }
}
