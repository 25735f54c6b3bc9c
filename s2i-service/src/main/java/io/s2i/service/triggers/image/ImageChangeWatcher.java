package io.s2i.service.triggers.image;

import io.s2i.api.ImageRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows images and reports each change of what they name once: on an interval
 * ({@link #start}) and on demand ({@link #check}, {@link #checkRepository}) when a registry
 * notification or a CI job says an image was pushed.
 *
 * <p>Each image has a baseline: the id the service last built with (OpenShift's
 * {@code lastTriggeredImageID}), or, when it gives none, whatever the first check finds, which is
 * not reported. A later check that finds another id reports {@code (image, oldId, newId)} and moves
 * the baseline, unless the listener throws, in which case the change is reported again next time.
 * An image that disappears is not a change (its baseline stays); one that appears after being
 * absent is. Checks of one image never run at once, so an interval check and an on-demand one
 * cannot report the same change twice.
 */
public final class ImageChangeWatcher implements AutoCloseable {
  private final ImageResolver resolver;
  private final ImageChangeListener listener;
  private final Clock clock;
  private final Map<String, Followed> followed = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;

  /** A watcher asking {@code resolver} and telling {@code listener}. */
  public ImageChangeWatcher(ImageResolver resolver, ImageChangeListener listener) {
    this(resolver, listener, Clock.systemUTC());
  }

  /** A watcher whose reported times come from {@code clock}. */
  public ImageChangeWatcher(ImageResolver resolver, ImageChangeListener listener, Clock clock) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One image's baseline; its monitor serializes the checks of that image. */
  private static final class Followed {
    /** Whether a check (or the service) has set the baseline. */
    boolean known;
    /** The baseline; empty when the image was absent. */
    Optional<String> id = Optional.empty();
  }

  /**
   * Follows {@code image} (again: its baseline is replaced).
   *
   * @param lastKnownId the id the configurations were last built with; empty to take the first
   *     check's answer as the baseline without reporting it
   */
  public void follow(String image, Optional<String> lastKnownId) {
    Objects.requireNonNull(lastKnownId, "lastKnownId");
    Followed entry = new Followed();
    entry.known = lastKnownId.isPresent();
    entry.id = lastKnownId;
    followed.put(Objects.requireNonNull(image, "image"), entry);
  }

  /** Stops following {@code image} (no configuration follows it any more). */
  public void unfollow(String image) {
    followed.remove(image);
  }

  /** The images followed, sorted. */
  public Set<String> followed() {
    return new TreeSet<>(followed.keySet());
  }

  /** The id {@code image} is known to name now; empty when not followed, not yet checked, or absent. */
  public Optional<String> knownId(String image) {
    Followed entry = followed.get(image);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      return entry.id;
    }
  }

  /** Checks every followed image; gives the changes reported. */
  public List<ImageChange> checkAll() {
    List<ImageChange> changes = new ArrayList<>();
    for (String image : followed()) {
      check(image).ifPresent(changes::add);
    }
    return changes;
  }

  /**
   * Checks one followed image now.
   *
   * @return the change reported; empty when nothing changed, the check failed, or the image is not
   *     followed
   */
  public Optional<ImageChange> check(String image) {
    Followed entry = followed.get(image);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      Optional<String> current;
      try {
        current = resolver.currentId(image);
      } catch (ImageResolutionException e) {
        listener.checkFailed(image, e.getMessage());
        return Optional.empty();
      } catch (RuntimeException e) {
        listener.checkFailed(image, "the check failed: " + e);
        return Optional.empty();
      }
      if (!entry.known) {
        entry.known = true;
        entry.id = current;
        return Optional.empty();
      }
      if (current.isEmpty() || current.equals(entry.id)) {
        return Optional.empty();
      }
      ImageChange change = new ImageChange(image, entry.id, current.get(), clock.instant());
      try {
        listener.imageChanged(change);
      } catch (Exception e) {
        listener.checkFailed(image, "the change to " + current.get() + " was not handled, it is reported again at the"
            + " next check: " + e.getMessage());
        return Optional.empty();
      }
      if (followed.get(image) == entry) {
        entry.id = current;
      }
      return Optional.of(change);
    }
  }

  /**
   * Checks the followed images of one repository, whatever their tag: for a registry notification
   * that names a repository ({@code 127.0.0.1:5000/builders/java}) or an API call a CI job makes
   * after a push.
   *
   * @return the changes reported
   */
  public List<ImageChange> checkRepository(String name) {
    List<ImageChange> changes = new ArrayList<>();
    for (String image : followed()) {
      if (sameRepository(image, name)) {
        check(image).ifPresent(changes::add);
      }
    }
    return changes;
  }

  private static boolean sameRepository(String image, String name) {
    try {
      ImageRef followedRef = ImageRef.parse(image);
      ImageRef asked = ImageRef.parse(name);
      return followedRef.name().equals(asked.name()) || stripTag(followedRef.normalized()).equals(stripTag(asked.normalized()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String stripTag(String normalized) {
    String name = normalized.contains("@") ? normalized.substring(0, normalized.indexOf('@')) : normalized;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  /**
   * Checks every followed image now and then every {@code interval}, on a daemon thread, until
   * {@link #close()}.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized void start(Duration interval) {
    if (scheduler != null) {
      throw new IllegalStateException("the image watcher is already started");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the check interval must be positive");
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "s2i-image-change-watcher");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::checkAllQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkAllQuietly() {
    try {
      checkAll();
    } catch (RuntimeException e) {
      // A listener's checkFailed that throws must not end the schedule.
    }
  }

  /** Stops the interval checks, waiting up to 10 s for one under way. */
  @Override
  public synchronized void close() {
    if (scheduler == null) {
      return;
    }
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler = null;
  }
}
