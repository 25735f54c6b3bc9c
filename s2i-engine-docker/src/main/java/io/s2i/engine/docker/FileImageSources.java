package io.s2i.engine.docker;

import io.s2i.internal.archive.StreamPipe;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageNotFoundException;
import io.s2i.engine.ImageStore;
import io.s2i.internal.image.layout.DockerArchiveReader;
import io.s2i.internal.image.layout.DockerArchiveWriter;
import io.s2i.internal.image.layout.ImageArchive;
import io.s2i.internal.image.layout.ImageFileRef;
import io.s2i.internal.image.layout.OciLayoutReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Images named by file, as skopeo names them: {@code docker-archive:FILE} (what {@code docker
 * save} writes) and {@code oci:DIR[:TAG]} (an OCI image layout). The daemon only knows names, so
 * such an image is loaded into it once per run and known by its id from then on: a docker-archive
 * as {@code docker load} loads it (with the tags it carries), an OCI layout as
 * {@code localhost/s2i-file:ID12}.
 */
final class FileImageSources {
  /** The repository an image read from an OCI layout is loaded under, tagged with its short id. */
  static final String NAME = "localhost/s2i-file:";
  private final Map<String, String> loaded = new ConcurrentHashMap<>();

  static boolean names(String ref) {
    return ImageFileRef.names(ref);
  }

  /** The id of the image {@code ref} names, loading it into {@code store} the first time. */
  String idOf(String ref, ImageStore store) throws EngineException {
    String known = loaded.get(ref);
    if (known != null) {
      return known;
    }
    ImageFileRef file = ImageFileRef.parse(ref);
    boolean archive = file.kind() == ImageFileRef.Kind.DOCKER_ARCHIVE;
    String id;
    try {
      id = archive ? loadArchive(file.path(), store) : loadLayout(file, store);
    } catch (IOException e) {
      throw new ImageNotFoundException("cannot read image " + ref + ": " + e.getMessage(),
          archive ? "give the path of a docker-archive (docker save) tarball"
              : "give an OCI image layout and, when it holds several images, the tag: oci:DIR:TAG", e);
    }
    loaded.put(ref, id);
    return id;
  }

  private static String loadArchive(Path file, ImageStore store) throws IOException, EngineException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is not a file");
    }
    String id = DockerArchiveReader.imageId(file);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in);
    }
    return id;
  }

  private static String loadLayout(ImageFileRef layout, ImageStore store) throws IOException, EngineException {
    Path work = Files.createTempDirectory("s2i-oci-layout-");
    try {
      ImageArchive image = OciLayoutReader.read(layout.path(), layout.tag(), work, diffId -> Optional.empty());
      StreamPipe pipe = new StreamPipe(1 << 20);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try (OutputStream out = pipe.sink()) {
          // Named, so that it is not left behind as an untagged image; one name per image id.
          DockerArchiveWriter.write(image, out, Optional.of(NAME + image.id().substring(7, 19)), 0);
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "s2i-load-layout");
      writer.setDaemon(true);
      writer.start();
      try (InputStream in = pipe.source()) {
        store.load(in);
      } finally {
        pipe.closeReadingEnd();
        join(writer);
      }
      if (failure.get() != null) {
        throw new IOException(failure.get().getMessage(), failure.get());
      }
      return image.id();
    } finally {
      io.s2i.internal.fs.FileTrees.deleteQuietly(work);
    }
  }

  private static void join(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
