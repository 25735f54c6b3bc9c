package io.s2i.testing.engine;

import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.ContainerHandle;
import io.s2i.engine.ContainerRunner;
import io.s2i.engine.ContainerSpec;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageInfo;
import io.s2i.engine.ImageNotFoundException;
import io.s2i.engine.ImageStore;
import io.s2i.engine.OutputSink;
import io.s2i.engine.RegistryException;
import io.s2i.engine.TransferListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A container engine in memory, for tests of the build's orchestration that need no Docker: it
 * implements the engine SPI ({@link ContainerEngine}, {@link ImageStore},
 * {@link ContainerRunner}) over {@link FakeImage}s and {@link FakeContainer}s, and runs
 * containers' commands as {@link FakeProgram}s, including a small {@code /bin/sh}
 * ({@link FakeShell}) and the tools of {@link FakeTools}. A build sees it as it sees Docker: it
 * pulls, inspects, creates containers, streams tars into them, runs scripts, commits, tags.
 *
 * <pre>{@code
 * FakeEngine engine = FakeEngine.create();
 * engine.add("builder:1", FakeImage.base()
 *     .label("io.openshift.s2i.scripts-url", "image:///usr/libexec/s2i")
 *     .script("/usr/libexec/s2i/assemble", "cp -R /tmp/src/. /opt/app")
 *     .script("/usr/libexec/s2i/run", "cat /opt/app/hello.txt"));
 * BuildResult result = S2i.builder().engine(engine).build().build(request);
 * engine.image("app:1").orElseThrow().files().readString("/opt/app/hello.txt");
 * }</pre>
 *
 * <p>Operations fail on demand ({@link #fail}). Not modelled: networks, capabilities, resource
 * limits, permissions (recorded, not enforced), exporting and loading image archives.
 */
public final class FakeEngine implements ContainerEngine, ContainerRunner {
  /** The engine operations a test can make fail. */
  public enum Operation {
    /** {@code ImageStore.inspect}; the subject is the reference. */
    INSPECT,
    /** A pull; the subject is the reference. */
    PULL,
    /** {@code ContainerRunner.create}; the subject is the spec's image. */
    CREATE,
    /** Starting a container; the subject is its command line. */
    START,
    /** {@code ContainerHandle.copyIn}; the subject is the directory. */
    COPY_IN,
    /** {@code ContainerHandle.copyOut}; the subject is the path. */
    COPY_OUT,
    /** {@code ContainerHandle.commit}; the subject is the container's image. */
    COMMIT,
    /** {@code ImageStore.build}; the subject is the tag, or empty. */
    BUILD,
    /** {@code ImageStore.tag}; the subject is the new reference. */
    TAG,
    /** {@code ImageStore.push}; the subject is the reference. */
    PUSH,
    /** {@code ImageStore.remove}; the subject is the image. */
    REMOVE
  }

  /** A failure armed by {@link #fail}; {@link #clear} disarms it. */
  public final class Failure {
    private final Operation operation;
    private final Predicate<String> when;
    private final Supplier<? extends EngineException> error;

    private Failure(Operation operation, Predicate<String> when, Supplier<? extends EngineException> error) {
      this.operation = operation;
      this.when = when;
      this.error = error;
    }

    /** Lets the operation succeed again. */
    public void clear() {
      failures.remove(this);
    }
  }

  private final Map<String, FakeImage> images = new LinkedHashMap<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final Map<String, FakeImage> remote = new LinkedHashMap<>();
  private final Map<String, String> pushed = new LinkedHashMap<>();
  private final List<Failure> failures = new CopyOnWriteArrayList<>();
  private final List<FakeContainer> live = new CopyOnWriteArrayList<>();
  private final List<ContainerSpec> created = new CopyOnWriteArrayList<>();
  private final List<String> pulls = new CopyOnWriteArrayList<>();
  private final Map<String, Optional<RegistryCredentials>> pullCredentials = new LinkedHashMap<>();
  private final AtomicLong serial = new AtomicLong();
  private final Store store = new Store();

  private FakeEngine() {}

  /** An engine with no image. */
  public static FakeEngine create() {
    return new FakeEngine();
  }

  // ---- set-up and inspection for tests ------------------------------------------------------

  /** Makes an image and gives it the name {@code ref}; returns it. */
  public synchronized FakeImage add(String ref, FakeImage.Builder image) {
    FakeImage made = image.build(newId());
    images.put(made.id(), made);
    tags.put(normalize(ref), made.id());
    return made;
  }

  /** Makes an image that only a registry has: a pull of {@code ref} gets it. */
  public synchronized FakeImage addRemote(String ref, FakeImage.Builder image) {
    FakeImage made = image.build(newId());
    remote.put(normalize(ref), made);
    return made;
  }

  /** The image a reference or id names, if the engine has it. */
  public synchronized Optional<FakeImage> image(String refOrId) {
    return Optional.ofNullable(lookup(refOrId));
  }

  /** Every name the engine knows, with the id it names. */
  public synchronized Map<String, String> tags() {
    return new LinkedHashMap<>(tags);
  }

  /** The ids of the images that have no name (as {@code docker images -f dangling=true}). */
  public synchronized List<String> untaggedImages() {
    return images.keySet().stream().filter(id -> !tags.containsValue(id)).toList();
  }

  /** The containers created and not removed yet. */
  public List<FakeContainer> liveContainers() {
    return List.copyOf(live);
  }

  /** The specs of every container created, in order. */
  public List<ContainerSpec> createdSpecs() {
    return List.copyOf(created);
  }

  /** The references pulled, in order. */
  public List<String> pulls() {
    return List.copyOf(pulls);
  }

  /** The credentials each reference was last pulled with. */
  public synchronized Map<String, Optional<RegistryCredentials>> pullCredentials() {
    return new LinkedHashMap<>(pullCredentials);
  }

  /** What was pushed: reference to image id. */
  public synchronized Map<String, String> pushed() {
    return new LinkedHashMap<>(pushed);
  }

  /**
   * Makes {@code operation} fail with {@code error} whenever its subject (see {@link Operation})
   * matches {@code when}, until the returned failure is cleared.
   */
  public Failure fail(Operation operation, Predicate<String> when, Supplier<? extends EngineException> error) {
    Failure f = new Failure(operation, when, error);
    failures.add(f);
    return f;
  }

  /** Makes every {@code operation} fail with an {@link EngineException} saying {@code message}. */
  public Failure fail(Operation operation, String message) {
    return fail(operation, s -> true, () -> new EngineException(message, null));
  }

  // ---- ContainerEngine ------------------------------------------------------------------------

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public ImageStore images() {
    return store;
  }

  @Override
  public ContainerRunner containers() {
    return this;
  }

  @Override
  public void close() {}

  @Override
  public ContainerHandle create(ContainerSpec spec) throws EngineException {
    check(Operation.CREATE, spec.image());
    FakeImage image;
    synchronized (this) {
      image = lookup(spec.image());
    }
    if (image == null) {
      throw new EngineException("cannot create a container of " + spec.image() + ": No such image: " + spec.image(), null);
    }
    FakeContainer c = new FakeContainer(this, newId().substring("sha256:".length()), spec, image);
    created.add(spec);
    live.add(c);
    return c;
  }

  // ---- called by containers ---------------------------------------------------------------

  void check(Operation operation, String subject) throws EngineException {
    for (Failure f : failures) {
      if (f.operation == operation && f.when.test(subject)) {
        throw f.error.get();
      }
    }
  }

  void removed(FakeContainer container) {
    live.remove(container);
  }

  synchronized String commit(FakeImage config, Optional<String> repository) {
    String id = newId();
    List<String> layers = new ArrayList<>(config.layers());
    layers.add(id);
    images.put(id, new FakeImage(id, config.labels(), config.env(), config.user(), config.workingDir(),
        config.entrypoint(), config.cmd(), config.onBuild(), config.sharedFiles(), layers));
    repository.ifPresent(r -> tags.put(normalize(r), id));
    return id;
  }

  synchronized String store(FakeImage image, Optional<String> tag) {
    images.put(image.id(), image);
    tag.ifPresent(t -> tags.put(normalize(t), image.id()));
    return image.id();
  }

  String newId() {
    return digest("fake-image-" + serial.incrementAndGet() + "-" + System.identityHashCode(this));
  }

  private static String digest(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code name} with {@code :latest} when it has neither tag nor digest; ids as they are. */
  static String normalize(String ref) {
    if (ref.startsWith("sha256:") || ref.contains("@")) {
      return ref;
    }
    int slash = ref.lastIndexOf('/');
    return ref.indexOf(':', slash + 1) < 0 ? ref + ":latest" : ref;
  }

  private FakeImage lookup(String refOrId) {
    if (images.containsKey(refOrId)) {
      return images.get(refOrId);
    }
    String id = tags.get(normalize(refOrId));
    return id == null ? null : images.get(id);
  }

  private static String registryOf(String ref) {
    int slash = ref.indexOf('/');
    String first = slash < 0 ? "" : ref.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
  }

  // ---- the image store ------------------------------------------------------------------------

  private final class Store implements ImageStore {
    @Override
    public Optional<ImageInfo> inspect(String ref) throws EngineException {
      check(Operation.INSPECT, ref);
      synchronized (FakeEngine.this) {
        return Optional.ofNullable(lookup(ref)).map(FakeImage::info);
      }
    }

    @Override
    public ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> credentials,
        TransferListener progress) throws EngineException {
      Optional<ImageInfo> local = inspect(ref);
      if (policy == PullPolicy.NEVER) {
        return local.orElseThrow(() -> new ImageNotFoundException("unable to find image " + ref + " locally",
            "build or load the image first, or use --pull-policy if-not-present or always", null));
      }
      if (policy == PullPolicy.IF_NOT_PRESENT && local.isPresent()) {
        return local.get();
      }
      try {
        return pull(ref, credentials, progress);
      } catch (EngineException e) {
        if (policy == PullPolicy.ALWAYS && local.isPresent()) {
          return local.get();
        }
        throw e;
      }
    }

    private ImageInfo pull(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
        throws EngineException {
      check(Operation.PULL, ref);
      FakeImage image;
      synchronized (FakeEngine.this) {
        pulls.add(ref);
        pullCredentials.put(ref, credentials);
        image = remote.get(normalize(ref));
      }
      if (image == null) {
        throw new ImageNotFoundException("unable to pull image " + ref + " from " + registryOf(ref)
            + ": manifest unknown", "check the image name and that the registry has it", null);
      }
      for (String layer : image.layers()) {
        progress.layer(layer, "Pull complete", 1, 1, true);
      }
      store(image, Optional.of(ref));
      return image.info();
    }

    @Override
    public String build(ArchiveSource context, Optional<String> tag, Optional<String> network, OutputSink output)
        throws EngineException {
      check(Operation.BUILD, tag.orElse(""));
      FakeImage built = new FakeDockerfileBuild(FakeEngine.this, output).build(context);
      return store(built, tag);
    }

    @Override
    public void tag(String imageId, String ref) throws EngineException {
      check(Operation.TAG, ref);
      synchronized (FakeEngine.this) {
        FakeImage image = lookup(imageId);
        if (image == null) {
          throw new EngineException("cannot tag " + imageId + ": No such image", null);
        }
        tags.put(normalize(ref), image.id());
      }
    }

    @Override
    public String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress)
        throws EngineException {
      check(Operation.PUSH, ref);
      if (registryOf(ref).equals("127.0.0.1:1")) {
        throw new RegistryException(registryOf(ref) + " cannot be reached (connection refused)",
            "check that the registry " + registryOf(ref) + " is running and reachable, then retry", true, null);
      }
      synchronized (FakeEngine.this) {
        FakeImage image = lookup(ref);
        if (image == null) {
          throw new EngineException("cannot push " + ref + ": No such image", null);
        }
        for (String layer : image.layers()) {
          progress.layer(layer, "Pushed", 1, 1, true);
        }
        pushed.put(normalize(ref), image.id());
        return digest(image.id() + " as " + normalize(ref));
      }
    }

    @Override
    public void export(String image, OutputStream out) throws EngineException {
      throw new EngineException("the fake engine does not export images (use an engine IT for file outputs)", null);
    }

    @Override
    public void load(InputStream dockerArchive) throws EngineException {
      throw new EngineException("the fake engine does not load images (use an engine IT for file outputs)", null);
    }

    @Override
    public void remove(String image) throws EngineException {
      check(Operation.REMOVE, image);
      synchronized (FakeEngine.this) {
        if (images.containsKey(image)) {
          images.remove(image);
          tags.values().removeIf(image::equals);
          return;
        }
        String id = tags.remove(normalize(image));
        if (id != null && !tags.containsValue(id)) {
          images.remove(id);
        }
      }
    }
  }
}
