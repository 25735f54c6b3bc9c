package io.s2i.internal.build;

import io.s2i.api.EventSink;
import io.s2i.api.ImageRef;
import io.s2i.api.S2iException;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageInfo;
import io.s2i.engine.ImageStore;
import java.util.Optional;

/**
 * What happens to the image a build's tag named when the build's own image takes the tag. The
 * image the tag named when the build started is left as upstream leaves it (untagged; {@code --rm}
 * of an incremental build removes it). An image another build gave the tag while this one ran is
 * named in a warning, since two builds raced for the tag and the other one's result is now lost,
 * and removed unless another name refers to it or a container uses it: concurrent builds to one tag
 * would otherwise leave an untagged image behind each.
 */
public final class TagReplacement {
  /** Builds of one process take turns through these (a file lock is the process's, not a thread's). */
  private static final java.util.Map<String, java.util.concurrent.locks.ReentrantLock> IN_PROCESS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ImageStore images;
  private final Optional<String> tag;
  private final Optional<String> atStart;
  private Optional<String> beforeCommit = Optional.empty();

  private TagReplacement(ImageStore images, Optional<String> tag, Optional<String> atStart) {
    this.images = images;
    this.tag = tag;
    this.atStart = atStart;
  }

  /** Notes what the tag names as the build starts. */
  public static TagReplacement start(ImageStore images, Optional<ImageRef> tag) throws EngineException {
    Optional<String> ref = tag.map(ImageRef::withDefaultTag);
    Optional<String> id = ref.isPresent() ? images.inspect(ref.get()).map(ImageInfo::id) : Optional.empty();
    return new TagReplacement(images, ref, id);
  }

  /** The commit that gives the build's image its tag. */
  @FunctionalInterface
  public interface Commit<T> {
    T commit() throws S2iException;
  }

  /**
   * Runs {@code commit} (which tags the build's image, whose id {@code idOf} gives) and then deals
   * with an image another build put on the tag meanwhile. Builds of this machine to the same tag
   * take turns here: what the tag names just before a commit is then what that commit replaces.
   */
  public <T> T commit(Commit<T> commit, java.util.function.Function<T, String> idOf, EventSink events)
      throws S2iException {
    if (tag.isEmpty()) {
      return commit.commit();
    }
    java.util.concurrent.locks.ReentrantLock inProcess =
        IN_PROCESS.computeIfAbsent(tag.get(), t -> new java.util.concurrent.locks.ReentrantLock());
    inProcess.lock();
    try (TagLock lock = TagLock.take(tag.get())) {
      beforeCommit = images.inspect(tag.get()).map(ImageInfo::id);
      T committed = commit.commit();
      afterCommit(idOf.apply(committed), events);
      return committed;
    } finally {
      inProcess.unlock();
    }
  }

  /** Once the build's image {@code newId} has the tag: deals with an image another build put there. */
  private void afterCommit(String newId, EventSink events) {
    if (beforeCommit.isEmpty() || beforeCommit.equals(atStart) || beforeCommit.get().equals(newId)) {
      return;
    }
    String replaced = beforeCommit.get();
    boolean removed;
    try {
      removed = images.removeIfUnused(replaced);
    } catch (EngineException e) {
      removed = false;
    }
    events.warn(tag.get() + " now names " + shortId(newId) + "; it named " + shortId(replaced)
        + ", which another build tagged while this one ran"
        + (removed ? " (removed: nothing else names or uses it)" : " (kept: another name or a container uses it)"));
  }

  /**
   * A lock file per tag in {@code $XDG_CACHE_HOME/s2i-java/tag-locks}, held from the look at the
   * tag to the end of the commit. Only builds of one machine take turns; the lock files stay (one
   * empty file per tag: removing one would let two builds hold "the" lock at once).
   */
  private static final class TagLock implements AutoCloseable {
    private final java.nio.channels.FileChannel channel;

    private TagLock(java.nio.channels.FileChannel channel) {
      this.channel = channel;
    }

    static TagLock take(String tag) throws S2iException {
      try {
        String xdg = System.getenv("XDG_CACHE_HOME");
        java.nio.file.Path cache = xdg != null && !xdg.isBlank() ? java.nio.file.Path.of(xdg)
            : java.nio.file.Path.of(System.getProperty("user.home"), ".cache");
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(cache.resolve("s2i-java").resolve("tag-locks"));
        String name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(tag.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 12);
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dir.resolve(name + ".lock"),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        try {
          channel.lock();
        } catch (java.io.IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        return new TagLock(channel);
      } catch (java.io.IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
        return new TagLock(null); // taking turns is a nicety: never fail a build for it
      }
    }

    @Override
    public void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (java.io.IOException ignored) {
          // the lock goes with the channel
        }
      }
    }
  }

  private static String shortId(String id) {
    String hex = id.startsWith("sha256:") ? id.substring(7) : id;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
