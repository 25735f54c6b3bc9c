package io.s2i.internal.build;

import io.s2i.api.EventSink;
import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.TransferListener;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.registry.RegistryAccess;
import io.s2i.internal.registry.TransferProgress;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * An engine whose pulls carry the registry's credentials and report progress, so that every image
 * a build touches (builder, runtime, previous image) is pulled the same way without each step
 * knowing about credentials. Credentials are only looked up when a pull will happen.
 */
public final class RegistryAwareEngine implements ContainerEngine {
  private final ContainerEngine engine;
  private final Images images;

  public RegistryAwareEngine(ContainerEngine engine, RegistryAccess access, EventSink events) {
    this.engine = engine;
    this.images = new Images(engine.images(), access, events);
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public ImageStore images() {
    return images;
  }

  @Override
  public ContainerRunner containers() {
    return engine.containers();
  }

  @Override
  public java.util.List<String> removeLeftovers() {
    return engine.removeLeftovers();
  }

  /** Does not close the wrapped engine: its owner does. */
  @Override
  public void close() {}

  private static final class Images implements ImageStore {
    private final ImageStore store;
    private final RegistryAccess access;
    private final EventSink events;

    Images(ImageStore store, RegistryAccess access, EventSink events) {
      this.store = store;
      this.access = access;
      this.events = events;
    }

    @Override
    public Optional<ImageInfo> inspect(String ref) throws EngineException {
      return store.inspect(ref);
    }

    @Override
    public ImageInfo ensure(String ref, PullPolicy policy) throws EngineException {
      if (policy == PullPolicy.NEVER) {
        return store.ensure(ref, policy);
      }
      if (policy == PullPolicy.IF_NOT_PRESENT) {
        Optional<ImageInfo> local = store.inspect(ref);
        if (local.isPresent()) {
          return local.get();
        }
      }
      Optional<RegistryCredentials> credentials;
      try {
        credentials = access.credentialsFor(ref);
      } catch (io.s2i.api.S2iException e) {
        events.warn(e.getMessage() + "; pulling " + ref + " anonymously");
        credentials = Optional.empty();
      }
      TransferProgress progress = new TransferProgress(events, "Pulling", ref);
      try {
        return store.ensure(ref, policy, credentials, progress);
      } finally {
        progress.finish();
      }
    }

    @Override
    public ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> credentials,
        TransferListener progress) throws EngineException {
      return store.ensure(ref, policy, credentials, progress);
    }

    @Override
    public void tag(String imageId, String ref) throws EngineException {
      store.tag(imageId, ref);
    }

    @Override
    public String build(io.s2i.engine.ArchiveSource context, Optional<String> tag,
        Optional<String> network, io.s2i.engine.OutputSink output) throws EngineException {
      return store.build(context, tag, network, output);
    }

    @Override
    public String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
        throws EngineException {
      return store.push(ref, credentials, progress);
    }

    @Override
    public void export(String image, OutputStream out) throws EngineException {
      store.export(image, out);
    }

    @Override
    public void load(InputStream dockerArchive) throws EngineException {
      store.load(dockerArchive);
    }

    @Override
    public boolean removeIfUnused(String imageId) throws EngineException {
      return store.removeIfUnused(imageId);
    }

    @Override
    public void remove(String image) throws EngineException {
      store.remove(image);
    }
  }
}
