package io.s2i.service.triggers.service;

import io.s2i.api.ImageRef;
import io.s2i.service.BuildService;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildConfig.TriggerType;
import io.s2i.service.model.BuildInputs;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.store.BuildStore;
import io.s2i.service.triggers.image.ImageChange;
import io.s2i.service.triggers.image.ImageChangeListener;
import io.s2i.service.triggers.image.ImageChangeWatcher;
import io.s2i.service.triggers.image.ImageResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image-change triggers in the service: one {@link ImageChangeWatcher} follows every image a
 * configuration's {@code ImageChange} trigger names (the builder when the trigger has no
 * {@code from}, else its {@code from}: the runtime image, or any other), checked on an interval
 * and at once by {@code POST /api/v1/imagechange}. When one changes, every configuration that
 * follows it rebuilds once, with the image pinned to what was seen (a registry image to
 * {@code name@digest}) and the old and new ids as the build's cause.
 *
 * <p>Baselines: a configuration's record of the id it was last rebuilt for; else, for an image in
 * the engine, the id its last build used (recorded on the build); else what the first check finds
 * (made as soon as a configuration starts following an image, when checks run on an interval). A
 * registry image's manifest digest cannot be compared with the engine id a build records, hence
 * that first check.
 */
public final class ImageTriggers implements ImageChangeListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageTriggers.class);

  /** What a configuration uses a followed image as. */
  enum Role { builder, runtime, image }

  /** A configuration following an image. */
  record Follower(String config, Role role) {}

  private final BuildService service;
  private final BuildStore store;
  private final ImageTriggerStore state;
  private final ImageChangeWatcher watcher;
  private final Predicate<String> inEngine;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final Map<ImageChange, List<String>> started = new ConcurrentHashMap<>();

  ImageTriggers(BuildService service, BuildStore store, ImageTriggerStore state, ImageResolver resolver,
      Predicate<String> inEngine, Duration interval, java.time.Clock clock) {
    this.service = service;
    this.store = store;
    this.state = state;
    this.inEngine = inEngine;
    this.interval = interval;
    this.watcher = new ImageChangeWatcher(resolver, this, clock);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "s2i-image-change");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Follows what the stored configurations name and starts the interval checks, if any. Each
   * interval check first follows what the database holds now, so configurations made through
   * another server sharing it are followed too.
   */
  void start() {
    refresh(false);
    if (!interval.isZero()) {
      scheduler.scheduleWithFixedDelay(this::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void checkQuietly() {
    try {
      refresh(false);
      watcher.checkAll();
    } catch (RuntimeException e) {
      LOG.warn("the image-change check failed: {}", e.getMessage());
    }
  }

  /** Follows the images the configurations name now, and no others. */
  synchronized void refresh() {
    refresh(!interval.isZero());
  }

  private synchronized void refresh(boolean checkNew) {
    Map<String, List<Follower>> wanted = followers(store.configs());
    for (String image : watcher.followed()) {
      if (!wanted.containsKey(image)) {
        watcher.unfollow(image);
      }
    }
    for (Map.Entry<String, List<Follower>> e : wanted.entrySet()) {
      String image = e.getKey();
      if (watcher.followed().contains(image)) {
        continue;
      }
      Optional<String> baseline = baseline(image, e.getValue());
      watcher.follow(image, baseline);
      if (checkNew && baseline.isEmpty()) {
        // Take the baseline now, before anything is pushed, rather than at the next interval.
        scheduler.execute(() -> watcher.check(image));
      }
    }
  }

  /** Every followed image with the configurations that follow it, by image. */
  static Map<String, List<Follower>> followers(List<BuildConfig> configs) {
    Map<String, List<Follower>> out = new TreeMap<>();
    for (BuildConfig c : configs) {
      if (c.triggers() == null || c.source() == null || c.source().type() == BuildConfig.SourceType.Binary) {
        continue; // a binary build needs an upload: nothing can rebuild it
      }
      BuildConfig.Strategy s = c.strategy();
      for (BuildConfig.Trigger t : c.triggers()) {
        if (t.type() != TriggerType.ImageChange) {
          continue;
        }
        String image;
        Role role;
        if (t.from() == null) {
          image = s == null ? null : s.builderImage();
          role = Role.builder;
        } else {
          image = t.from();
          role = s != null && t.from().equals(s.runtimeImage()) ? Role.runtime
              : s != null && t.from().equals(s.builderImage()) ? Role.builder : Role.image;
        }
        if (image != null) {
          out.computeIfAbsent(image, k -> new ArrayList<>()).add(new Follower(c.name(), role));
        }
      }
    }
    return out;
  }

  private Optional<String> baseline(String image, List<Follower> followers) {
    for (Follower f : followers) {
      Optional<String> last = state.lastId(f.config(), image);
      if (last.isPresent()) {
        return last;
      }
    }
    if (inEngine.test(image)) {
      for (Follower f : followers) {
        Optional<String> used = lastUsedId(f);
        if (used.isPresent()) {
          return used;
        }
      }
    }
    return Optional.empty();
  }

  /** The engine id of the image the follower's last build that recorded it used. */
  private Optional<String> lastUsedId(Follower f) {
    for (Build b : store.builds(Optional.of(f.config()), 20)) {
      BuildInputs in = b.inputs();
      if (in == null) {
        continue;
      }
      String id = f.role() == Role.runtime ? in.runtimeImageId() : in.builderImageId();
      if (id != null) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  @Override
  public void imageChanged(ImageChange change) {
    List<Follower> followers = followers(store.configs()).getOrDefault(change.image(), List.of());
    List<String> builds = new ArrayList<>();
    RuntimeException failure = null;
    for (Follower f : followers) {
      Optional<String> previous = state.lastId(f.config(), change.image());
      if (!state.claim(f.config(), change.image(), change.newId())) {
        continue; // another check (or server) rebuilt it for this change already
      }
      try {
        BuildConfig config = store.config(f.config()).orElseThrow(
            () -> new IllegalStateException("build configuration " + f.config() + " was deleted"));
        Optional<String> pinned = pin(change, config);
        BuildOptions options = BuildOptions.none().withImages(
            f.role() == Role.builder ? pinned.orElse(null) : null, f.role() == Role.runtime ? pinned.orElse(null) : null);
        Build b = service.start(f.config(), options,
            TriggerCauses.imageChange(change, previous.or(change::oldId), f.role().name(), pinned), null);
        builds.add(b.name());
        LOG.info("image {} changed ({} -> {}): build {} started", change.image(),
            previous.or(change::oldId).orElse("none"), change.newId(), b.name());
      } catch (RuntimeException e) {
        state.restore(f.config(), change.image(), previous);
        failure = e;
      }
    }
    started.put(change, builds);
    if (failure != null) {
      throw failure; // the watcher keeps the old id and reports the change again at the next check
    }
  }

  @Override
  public void checkFailed(String image, String reason) {
    LOG.warn("image-change check of {}: {}", image, reason);
  }

  /**
   * The reference a rebuild uses: a registry image pinned to the digest seen, so that the build
   * pulls that very image; an image in the engine by its name (its id is the one seen, and the
   * build records it), as is one the configuration never pulls.
   */
  private Optional<String> pin(ImageChange change, BuildConfig config) {
    boolean neverPulled = config.strategy() != null && config.strategy().pullPolicy() == BuildConfig.PullPolicy.Never;
    if (inEngine.test(change.image()) || neverPulled || !change.newId().startsWith("sha256:")) {
      return Optional.empty();
    }
    return Optional.of(ImageRef.parse(change.image()).name() + "@" + change.newId());
  }

  /** What a check asked for through the API found. */
  public record Checked(List<Map<String, Object>> changes, List<String> followed) {}

  /**
   * Checks now: one image, the followed images of a repository, or all.
   *
   * @param image a followed reference, exactly as configurations name it
   * @param repository a repository ({@code host/path}), whatever the tag
   */
  public Checked check(Optional<String> image, Optional<String> repository) {
    refresh(false);
    List<ImageChange> changes;
    List<String> checked;
    if (image.isPresent()) {
      checked = watcher.followed().contains(image.get()) ? List.of(image.get()) : List.of();
      changes = watcher.check(image.get()).map(List::of).orElse(List.of());
    } else if (repository.isPresent()) {
      checked = watcher.followed().stream().filter(i -> sameRepository(i, repository.get())).toList();
      changes = watcher.checkRepository(repository.get());
    } else {
      checked = List.copyOf(watcher.followed());
      changes = watcher.checkAll();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (ImageChange c : changes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("image", c.image());
      c.oldId().ifPresent(id -> m.put("oldId", id));
      m.put("newId", c.newId());
      m.put("builds", started.getOrDefault(c, List.of()));
      out.add(m);
    }
    changes.forEach(started::remove);
    return new Checked(out, checked);
  }

  private static boolean sameRepository(String image, String repository) {
    try {
      return ImageRef.parse(image).name().equals(ImageRef.parse(repository).name());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The followed images: each with the id known now and the configurations following it. */
  public List<Map<String, Object>> status() {
    Map<String, List<Follower>> all = followers(store.configs());
    List<Map<String, Object>> out = new ArrayList<>();
    for (String image : watcher.followed()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("image", image);
      watcher.knownId(image).ifPresent(id -> m.put("knownId", id));
      m.put("followedBy", all.getOrDefault(image, List.of()).stream().map(f -> f.config() + " (" + f.role() + ")").toList());
      out.add(m);
    }
    return out;
  }

  /** Forgets a deleted configuration's records and stops following what only it followed. */
  void forget(String config) {
    state.forget(config);
    refresh();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
