package io.s2i.internal.build.step;

import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.ImageRef;
import io.s2i.api.OutputTarget;
import io.s2i.api.RegistryCredentials;
import io.s2i.api.S2iException;
import io.s2i.internal.build.Workspace;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.image.layout.DockerArchiveReader;
import io.s2i.internal.image.layout.DockerArchiveWriter;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.OciLayoutWriter;
import io.s2i.internal.image.layout.ReproducibleImage;
import io.s2i.internal.registry.TransferRetry;
import io.s2i.internal.registry.RegistryAccess;
import io.s2i.internal.registry.TransferProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends the committed image where the request's {@link OutputTarget} says, after making it
 * reproducible when a source date epoch is set.
 *
 * <p>Reproducible images: the engine's commit has wall-clock file times and creation time, so the
 * image is exported as a docker-archive, normalised ({@link ReproducibleImage}) and loaded back; the
 * engine keeps the config byte for byte, so the image id is the same for the same source and
 * builder, and so is the digest of what is pushed or written. File outputs are written from the
 * exported image and the committed image is removed from the engine afterwards.
 */
public final class PublishImageStep {
  private final ImageStore images;
  private final RegistryAccess registries;
  private final EventSink events;
  private final TransferRetry retry;

  public PublishImageStep(ImageStore images, RegistryAccess registries, EventSink events, TransferRetry retry) {
    this.images = images;
    this.registries = registries;
    this.events = events;
    this.retry = retry;
  }

  /** Whether {@code request} needs anything beyond the engine commit. */
  public static boolean needed(BuildRequest request) {
    return !(request.output() instanceof OutputTarget.EngineImage) || request.sourceDateEpoch().isPresent();
  }

  /**
   * Checks before the build that a file output can be written, so a bad path fails in a second
   * rather than after assemble.
   */
  public static void preflight(BuildRequest request) throws S2iException {
    Path path;
    if (request.output() instanceof OutputTarget.OciLayout oci) {
      path = oci.directory().toAbsolutePath().normalize();
      if (Files.isDirectory(path) && !Files.isRegularFile(path.resolve("oci-layout"))) {
        try (var entries = Files.list(path)) {
          if (entries.findAny().isPresent()) {
            throw new S2iException(FailureReason.INVALID_REQUEST, "cannot write the output " + path
                + ": it is a directory that holds other files, not an OCI image layout",
                "name a new or empty directory, or an existing OCI layout");
          }
        } catch (IOException e) {
          throw unwritable(path, e);
        }
      } else if (Files.exists(path) && !Files.isDirectory(path)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "cannot write the output " + path
            + ": it is a file, not a directory", "name a new or empty directory for oci:DIR");
      }
    } else if (request.output() instanceof OutputTarget.DockerArchive archive) {
      path = archive.file().toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "cannot write the output " + path
            + ": it is a directory", "name a file for docker-archive:FILE");
      }
    } else {
      return;
    }
    Path parent = path.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "cannot write the output " + path
          + ": " + (parent == null ? "no parent directory" : parent + " is not a writable directory"),
          "choose a path in a writable directory");
    }
  }

  private static S2iException unwritable(Path path, IOException e) {
    return new S2iException(FailureReason.INVALID_REQUEST, "cannot write the output " + path + ": "
        + e.getMessage(), "choose a writable path", e);
  }

  public BuildResult run(BuildRequest request, BuildResult built, Workspace workspace)
      throws S2iException, InterruptedException {
    try {
      return publish(request, built, workspace);
    } catch (S2iException | RuntimeException e) {
      if (request.output().isFile()) {
        // The committed image was only a means to the file; do not leave it behind.
        try {
          images.remove(built.imageId());
        } catch (EngineException removeFailed) {
          events.warn("could not remove the intermediate image " + built.imageId() + ": "
              + removeFailed.getMessage());
        }
      }
      throw e;
    }
  }

  private BuildResult publish(BuildRequest request, BuildResult built, Workspace workspace)
      throws S2iException, InterruptedException {
    OutputTarget target = request.output();
    String imageId = built.imageId();
    Optional<String> digest = Optional.empty();
    List<String> outputs = new ArrayList<>();
    long size = 0;
    if (target.isFile() || request.sourceDateEpoch().isPresent()) {
      Path dir = dir(workspace, "publish");
      ImageArchive exported = exportImage(imageId, dir);
      ImageArchive image = request.sourceDateEpoch().isPresent()
          ? normalise(exported, request.sourceDateEpoch().get(), dir, baseLayers(request))
          : exported;
      size = image.size();
      if (target instanceof OutputTarget.OciLayout oci) {
        OciLayoutWriter.Written w = writeFile(oci.directory(), () -> OciLayoutWriter.write(image, oci.directory(), oci.tag()));
        digest = Optional.of(w.manifestDigest());
        outputs.add("oci:" + oci.directory() + oci.tag().map(t -> ":" + t).orElse(""));
        events.info("Wrote OCI image layout " + oci.directory() + " (manifest " + w.manifestDigest() + ")");
        imageId = replaceInEngine(imageId, image.id(), false, dir, image, Optional.empty());
      } else if (target instanceof OutputTarget.DockerArchive archive) {
        writeFile(archive.file(), () -> {
          DockerArchiveWriter.write(image, archive.file(), archive.tag().map(ImageRef::withDefaultTag));
          return null;
        });
        outputs.add("docker-archive:" + archive.file() + archive.tag().map(t -> ":" + t).orElse(""));
        events.info("Wrote docker-archive " + archive.file());
        imageId = replaceInEngine(imageId, image.id(), false, dir, image, Optional.empty());
      } else {
        imageId = replaceInEngine(imageId, image.id(), true, dir, image, target.engineTag());
      }
    }
    if (!target.isFile()) {
      target.engineTag().ifPresent(t -> outputs.add(t.toString()));
      size = size > 0 ? size : images.inspect(imageId).map(ImageInfo::size).orElse(0L);
    }
    if (target instanceof OutputTarget.RegistryImage registry) {
      String ref = registry.ref().withDefaultTag();
      Optional<RegistryCredentials> credentials = registries.credentialsFor(ref);
      TransferProgress progress = new TransferProgress(events, "Pushing", ref);
      try {
        digest = Optional.of(retry.run("the push of " + ref, events,
            () -> images.push(ref, credentials, progress)));
      } finally {
        progress.finish();
      }
      outputs.add(registry.ref().name() + "@" + digest.get());
      events.info("Pushed " + ref + " (digest " + digest.get() + ")");
    }
    return new BuildResult(imageId, built.tag(), built.labels(), built.steps(), digest, outputs, size,
        built.source().or(() -> io.s2i.internal.contract.OutputLabels.sourceInfo(built.labels())));
  }

  private ImageArchive exportImage(String imageId, Path dir) throws S2iException {
    Path tar = dir.resolve("image.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      images.export(imageId, out);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "could not write the exported image to " + tar
          + ": " + e.getMessage(), "free space in TMPDIR", e);
    }
    try (InputStream in = Files.newInputStream(tar)) {
      Path unpacked = Files.createDirectories(dir.resolve("exported"));
      return DockerArchiveReader.read(in, unpacked);
    } catch (IOException e) {
      throw new S2iException(FailureReason.ENGINE_FAILED, "could not read the image the engine exported: "
          + e.getMessage(), "check the engine's image export (docker save)", e);
    } finally {
      try {
        Files.deleteIfExists(tar);
      } catch (IOException ignored) {
        // the workspace is removed at the end of the build anyway
      }
    }
  }

  /** The builder's layers: the committed image shares them and they stay as they are. */
  private List<String> baseLayers(BuildRequest request) throws EngineException {
    return images.inspect(request.builderImage().withDefaultTag()).map(ImageInfo::layers).orElse(List.of());
  }

  private ImageArchive normalise(ImageArchive image, Instant epoch, Path dir, List<String> base)
      throws S2iException {
    try {
      ImageArchive normalised = ReproducibleImage.normalise(image, epoch,
          Files.createDirectories(dir.resolve("normalised")), base);
      events.detail("Made the image reproducible with SOURCE_DATE_EPOCH=" + epoch.getEpochSecond()
          + ": image id " + normalised.id());
      return normalised;
    } catch (IOException e) {
      throw new S2iException(FailureReason.COMMIT_FAILED,
          "could not make the image reproducible: " + e.getMessage(), "free space in TMPDIR", e);
    }
  }

  /**
   * Puts the published image in the engine in place of the committed one: loaded (tagged) when it
   * differs and {@code keep} is set, and the committed image removed when it is no longer wanted.
   *
   * @return the id of the image the engine now holds for this build, or the published id
   */
  private String replaceInEngine(String committedId, String publishedId, boolean keep, Path dir,
      ImageArchive image, Optional<ImageRef> tag) throws S2iException {
    if (keep && sameId(committedId, publishedId)) {
      return committedId;
    }
    if (keep) {
      Path tar = dir.resolve("reproducible.tar");
      try {
        DockerArchiveWriter.write(image, tar, tag.map(ImageRef::withDefaultTag));
        try (InputStream in = Files.newInputStream(tar)) {
          images.load(in);
        }
      } catch (IOException e) {
        throw new S2iException(FailureReason.COMMIT_FAILED, "could not load the reproducible image: "
            + e.getMessage(), "free space in TMPDIR", e);
      }
    }
    try {
      images.remove(committedId);
    } catch (EngineException e) {
      events.warn("could not remove the intermediate image " + committedId + ": " + e.getMessage());
    }
    return publishedId;
  }

  private static boolean sameId(String a, String b) {
    return a.endsWith(b.substring(b.indexOf(':') + 1));
  }

  @FunctionalInterface
  private interface FileWrite<T> {
    T write() throws IOException;
  }

  private static <T> T writeFile(Path path, FileWrite<T> write) throws S2iException {
    try {
      return write.write();
    } catch (IOException | RuntimeException e) {
      String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist"
          : e.getMessage();
      throw new S2iException(FailureReason.INVALID_REQUEST, "cannot write the output " + path + ": "
          + (why == null ? e.getClass().getSimpleName() : why),
          "choose a writable path that does not hold other files", e);
    }
  }

  private static Path dir(Workspace workspace, String name) throws S2iException {
    try {
      return workspace.dir(name);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "could not create a temporary directory: "
          + e.getMessage(), "check that TMPDIR is writable", e);
    }
  }
}
