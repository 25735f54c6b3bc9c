package io.s2i.internal.build;

import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.ExitStatus;
import java.util.List;
import java.util.Optional;

/** Runs a built image with its own command ({@code --run}) and removes the container afterwards. */
public final class ImageRunner {
  private final ContainerEngine engine;
  private final EventSink events;

  public ImageRunner(ContainerEngine engine, EventSink events) {
    this.engine = engine;
    this.events = events;
  }

  /** Runs {@code image} until it exits; a non-zero exit is an error. */
  public void run(String image, List<String> capDrop) throws S2iException, InterruptedException {
    ContainerSpec spec = new ContainerSpec(image, "s2i_run_" + image.replaceAll("[^A-Za-z0-9]", "_"),
        "", List.of(), List.of(), List.of(), Optional.empty(), false, Optional.empty(), capDrop,
        List.of(), List.of());
    try (ContainerHandle container = engine.containers().create(spec)) {
      events.info("The image " + image + " has been started in container " + container.id()
          + " as a result of the run request. The container will be removed when it exits.");
      ExitStatus status = container.run(Optional.empty(), new ContainerOutputRelay(events));
      if (!status.succeeded()) {
        throw new S2iException(FailureReason.ASSEMBLE_FAILED,
            "the image " + image + " exited with status " + status.code(),
            "read the application's output above");
      }
    }
  }
}
