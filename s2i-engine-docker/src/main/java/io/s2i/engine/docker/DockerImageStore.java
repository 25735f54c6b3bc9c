package io.s2i.engine.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import io.s2i.api.FailureReason;
import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageNotFoundException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.ImageInfo;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Images of a Docker daemon. */
final class DockerImageStore implements ImageStore {
  private static final Logger LOG = LoggerFactory.getLogger(DockerImageStore.class);
  private final DockerConnection connection;
  private final FileImageSources files = new FileImageSources();

  DockerImageStore(DockerConnection connection) {
    this.connection = connection;
  }

  @Override
  public Optional<ImageInfo> inspect(String ref) throws EngineException {
    if (FileImageSources.names(ref)) {
      return inspect(files.idOf(ref, this));
    }
    return ImageInspector.inspect(connection, ref);
  }

  @Override
  public List<io.s2i.engine.ImageSummary> list() throws EngineException {
    return ImageInspector.list(connection);
  }

  @Override
  public ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> credentials,
      TransferListener progress) throws EngineException {
    if (FileImageSources.names(ref)) {
      // A file is read whatever the pull policy: it is the source, not a copy that may be stale.
      String id = files.idOf(ref, this);
      return inspect(id).orElseThrow(() -> notLocal(id));
    }
    switch (policy) {
      case NEVER -> {
        return inspect(ref).orElseThrow(() -> notLocal(ref));
      }
      case IF_NOT_PRESENT -> {
        Optional<ImageInfo> local = inspect(ref);
        if (local.isPresent()) {
          return local.get();
        }
        pull(ref, credentials, progress);
        return inspect(ref).orElseThrow(() -> notLocal(ref));
      }
      case ALWAYS -> {
        try {
          pull(ref, credentials, progress);
        } catch (ImageNotFoundException pullFailed) {
          // Upstream s2i falls back to a local copy when the registry cannot be reached.
          Optional<ImageInfo> local = inspect(ref);
          if (local.isPresent()) {
            LOG.debug("pull of {} failed, using the local image: {}", ref, pullFailed.getMessage());
            return local.get();
          }
          throw pullFailed;
        }
        return inspect(ref).orElseThrow(() -> notLocal(ref));
      }
      default -> throw new IllegalArgumentException("unknown pull policy " + policy);
    }
  }

  private void pull(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
      throws EngineException {
    ImageReference parsed = ImageReference.of(ref);
    LOG.debug("pulling {}", ref);
    Optional<String> failure;
    try (TransferCallback<PullResponseItem> pull = new TransferCallback<>(progress)) {
      var cmd = connection.client().pullImageCmd(parsed.repository()).withTag(parsed.tagOrLatest());
      credentials.ifPresent(c -> cmd.withAuthConfig(authConfig(ref, c)));
      cmd.exec(pull);
      pull.awaitCompletion();
      failure = pull.failureMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(
          FailureReason.INTERRUPTED, "interrupted while pulling image " + ref, null, e);
    } catch (java.io.IOException | RuntimeException e) {
      failure = Optional.of(DockerErrors.message(e));
    }
    if (failure.isPresent()) {
      RegistryErrors.Kind kind = RegistryErrors.classify(failure.get());
      String suggestion = kind == RegistryErrors.Kind.OTHER || kind == RegistryErrors.Kind.UNKNOWN_REPOSITORY
          ? "check the image name and that its registry is reachable, or build or load the image"
              + " locally and use --pull-policy never"
          : RegistryErrors.suggestion(kind, ref);
      throw new ImageNotFoundException(
          "unable to pull image " + ref + " from " + RegistryErrors.registryOf(ref) + ": " + failure.get(),
          suggestion, null);
    }
  }

  /**
   * How often the daemon may retry one layer of a push before the push is given up and left to
   * the caller's retry ({@link io.s2i.internal.registry.TransferRetry}). One retry rides out a connection cut
   * once (5 s later); the daemon's own ladder would go on for 50 s against a registry that is gone,
   * silently, and then the caller's retries would start over. The caller's retry restarts the
   * whole push, which skips the layers the registry already has.
   */
  static final int PUSH_LAYER_RETRIES = 1;

  @Override
  public String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
      throws EngineException {
    ImageReference parsed = ImageReference.of(ref);
    String registry = RegistryErrors.registryOf(ref);
    LOG.debug("pushing {}", ref);
    Optional<String> failure;
    Optional<String> digest;
    RegistryErrors.Kind kind = null;
    try (TransferCallback<PushResponseItem> push = new TransferCallback<>(progress, PUSH_LAYER_RETRIES)) {
      // The daemon refuses a push without an X-Registry-Auth header; an empty object is anonymous.
      connection.client().pushImageCmd(parsed.repository()).withTag(parsed.tagOrLatest())
          .withAuthConfig(credentials.map(c -> authConfig(ref, c)).orElseGet(AuthConfig::new))
          .exec(push);
      push.awaitCompletion();
      if (push.abandonedLayer().isPresent()) {
        // The daemon does not say why a layer failed, only that it retries; a failure that
        // survives a retry is the connection to the registry, the only thing retrying can fix.
        kind = RegistryErrors.Kind.UNREACHABLE;
        failure = Optional.of("the upload of layer " + push.abandonedLayer().get() + " failed "
            + (PUSH_LAYER_RETRIES + 1) + " times");
      } else {
        failure = push.failureMessage();
      }
      digest = push.digest();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(
          FailureReason.INTERRUPTED, "interrupted while pushing image " + ref, null, e);
    } catch (java.io.IOException | RuntimeException e) {
      failure = Optional.of(DockerErrors.message(e));
      digest = Optional.empty();
    }
    if (failure.isPresent()) {
      kind = kind != null ? kind : RegistryErrors.classify(failure.get());
      throw new RegistryException("pushing " + ref + " to " + registry + " failed: " + failure.get(),
          RegistryErrors.suggestion(kind, ref), kind.transientFailure, null);
    }
    return digest.orElseThrow(() -> new RegistryException(
        "pushing " + ref + " to " + registry + " ended without a digest",
        "check the daemon's log for the push of " + ref, true, null));
  }

  private static AuthConfig authConfig(String ref, RegistryCredentials c) {
    AuthConfig auth = new AuthConfig().withRegistryAddress(RegistryErrors.registryOf(ref));
    return c.isIdentityToken()
        ? auth.withIdentityToken(c.secret())
        : auth.withUsername(c.username()).withPassword(c.secret());
  }

  @Override
  public void export(String image, OutputStream out) throws EngineException {
    try (InputStream in = connection.client().saveImageCmd(image).exec()) {
      in.transferTo(out);
    } catch (NotFoundException e) {
      throw new ImageNotFoundException("cannot export image " + image + ": it does not exist",
          "check the image id", e);
    } catch (java.io.IOException | RuntimeException e) {
      throw new EngineException("cannot export image " + image + ": " + DockerErrors.message(e), e);
    }
  }

  @Override
  public void load(InputStream dockerArchive) throws EngineException {
    try {
      connection.client().loadImageCmd(dockerArchive).exec();
    } catch (RuntimeException e) {
      throw new EngineException("cannot load an image archive: " + DockerErrors.message(e), e);
    }
  }

  private static ImageNotFoundException notLocal(String ref) {
    return new ImageNotFoundException(
        "unable to find image " + ref + " locally",
        "build or load the image first, or use --pull-policy if-not-present or always",
        null);
  }

  @Override
  public void tag(String imageId, String ref) throws EngineException {
    ImageReference parsed = ImageReference.of(ref);
    try {
      RawRequests.Answer answer = RawRequests.post(connection, "/images/" + ImageInspector.pathSegment(imageId)
          + "/tag?repo=" + query(parsed.repository()) + "&tag=" + query(parsed.tagOrLatest()));
      if (!answer.ok()) {
        throw new EngineException("cannot tag image " + imageId + " as " + ref + ": " + answer.error(), null);
      }
    } catch (IOException | RuntimeException e) {
      throw new EngineException(
          "cannot tag image " + imageId + " as " + ref + ": " + DockerErrors.message(e), e);
    }
  }

  @Override
  public void remove(String image) throws EngineException {
    try {
      RawRequests.Answer answer = RawRequests.delete(connection, "/images/" + ImageInspector.pathSegment(image)
          + "?force=0&noprune=0");
      // Removing what is not there is success.
      if (!answer.ok() && answer.status() != 404) {
        throw new EngineException("cannot remove image " + image + ": " + answer.error(), null);
      }
    } catch (IOException | RuntimeException e) {
      throw new EngineException(
          "cannot remove image " + image + ": " + DockerErrors.message(e), e);
    }
  }

  private static String query(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String build(io.s2i.engine.ArchiveSource context, Optional<String> tag,
      Optional<String> network, io.s2i.engine.OutputSink output) throws EngineException {
    String id = DockerImageBuilder.build(connection.client(), context, tag, network, output);
    // The legacy builder reports a short id; callers get the full one.
    return inspect(id).map(ImageInfo::id).orElse(id);
  }
}
