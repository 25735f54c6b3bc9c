package io.s2i.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.EngineException;
import io.s2i.engine.OutputSink;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** {@code docker build} of a context streamed from an {@link ArchiveSource}, with no temp file. */
final class DockerImageBuilder {
  private DockerImageBuilder() {}

  static String build(DockerClient client, ArchiveSource context, Optional<String> tag,
      Optional<String> network, OutputSink output) throws EngineException {
    AtomicReference<String> error = new AtomicReference<>();
    LineSplitter lines = new LineSplitter(output::stdout);
    BuildImageResultCallback callback = new BuildImageResultCallback() {
      @Override
      public void onNext(BuildResponseItem item) {
        if (item.getStream() != null) {
          lines.accept(item.getStream().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (item.isErrorIndicated()) {
          String detail = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
          error.compareAndSet(null, detail);
        }
        super.onNext(item);
      }

      @Override
      public void onError(Throwable throwable) {
        error.compareAndSet(null, DockerErrors.message(throwable));
        super.onError(throwable);
      }
    };
    try (ArchiveWriter writer = ArchiveWriter.start(context, "s2i-build-context", () -> {})) {
      BuildImageCmd cmd = client.buildImageCmd()
          .withTarInputStream(writer.input())
          .withNoCache(true)
          .withRemove(true)
          .withForcerm(true)
          .withPull(false);
      tag.ifPresent(t -> cmd.withTags(Set.of(t)));
      network.ifPresent(cmd::withNetworkMode);
      String id;
      try {
        id = cmd.exec(callback).awaitImageId();
      } catch (RuntimeException e) {
        Optional<Throwable> archiveFailure = writer.finish();
        String why = archiveFailure.map(DockerErrors::message)
            .orElse(error.get() != null ? error.get() : DockerErrors.message(e));
        throw new EngineException("image build failed: " + why.strip(), archiveFailure.orElse(e));
      } finally {
        lines.flush();
      }
      return id;
    }
  }
}
