package io.s2i.internal.build.step;

import io.s2i.api.EventSink;
import io.s2i.api.SourceSpec;
import io.s2i.internal.build.Workspace;
import io.s2i.internal.source.LocalSourceFetcher;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFetchException;
import io.s2i.internal.source.SourceLocation;
import io.s2i.internal.source.binary.BinarySourceFetcher;
import io.s2i.internal.source.git.GitLocation;
import io.s2i.internal.source.git.GitSourceFetcher;
import io.s2i.internal.source.git.LocalRepository;
import io.s2i.internal.source.git.RepositoryDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the source argument into a prepared source directory, choosing as upstream does: a local
 * directory is used in place when {@code --copy} is given or it has no {@code .git} entry of its
 * own; a local work tree and every remote URL are cloned into the workspace.
 */
public final class FetchSourceStep {
  private static final int LISTED_UNCOMMITTED = 5;

  private final EventSink events;
  private final Workspace workspace;
  private final java.util.function.BooleanSupplier cancelled;

  /** A step that can only use local directories in place (no workspace to clone into). */
  public FetchSourceStep(EventSink events) {
    this(events, null);
  }

  public FetchSourceStep(EventSink events, Workspace workspace) {
    this(events, workspace, () -> false);
  }

  /** @param cancelled asked while a clone runs: true stops it */
  public FetchSourceStep(EventSink events, Workspace workspace, java.util.function.BooleanSupplier cancelled) {
    this.events = events;
    this.workspace = workspace;
    this.cancelled = cancelled;
  }

  public PreparedSource run(SourceSpec spec) throws SourceFetchException {
    String typed = spec.location();
    Optional<String> ref = spec.ref();
    int hash = typed.indexOf('#');
    if (hash >= 0 && !Files.exists(Path.of(typed))) {
      // --ref wins over a #fragment; upstream discards the fragment altogether.
      if (ref.isEmpty() && hash + 1 < typed.length()) {
        ref = Optional.of(typed.substring(hash + 1));
      }
      typed = typed.substring(0, hash);
    }
    SourceLocation location = SourceLocation.parse(typed);
    if (location instanceof SourceLocation.Local local) {
      Path dir = local.path().toAbsolutePath().normalize();
      if (Files.isRegularFile(dir)) {
        return binary(spec, dir, typed, ref);
      }
      if (spec.forceCopy() || !Files.isDirectory(dir) || !RepositoryDirs.isRepository(dir)) {
        if (ref.isPresent()) {
          events.warn("source.ref " + ref.get() + " is ignored: " + typed
              + (spec.forceCopy() ? " is copied as it is (source.forceCopy)" : " is not a git repository"));
        }
        PreparedSource source = new LocalSourceFetcher().fetch(spec, local);
        events.detail("Using sources from " + source.root());
        return source;
      }
      LocalRepository.requireCommits(dir, typed);
      warnUncommitted(dir, typed);
      return clone(GitLocation.local(typed, dir), ref, spec);
    }
    return clone(GitLocation.remote(typed), ref, spec);
  }

  private PreparedSource clone(GitLocation location, Optional<String> ref, SourceSpec spec)
      throws SourceFetchException {
    if (workspace == null) {
      throw new IllegalStateException("cloning needs a workspace");
    }
    Path target;
    try {
      target = workspace.dir("upload").resolve("src");
    } catch (IOException e) {
      throw new SourceFetchException("could not create the clone directory: " + e.getMessage(),
          "check that the temporary directory is writable", e);
    }
    return new GitSourceFetcher(events, cancelled).fetch(new GitSourceFetcher.Request(
        location, ref, spec.contextDir(), spec.ignoreSubmodules(), target));
  }

  /** A single file: kept whole or unpacked into the workspace, as OpenShift's binary builds. */
  private PreparedSource binary(SourceSpec spec, Path file, String typed, Optional<String> ref)
      throws SourceFetchException {
    if (workspace == null) {
      throw new IllegalStateException("a file source needs a workspace");
    }
    if (ref.isPresent()) {
      events.warn("--ref " + ref.get() + " is ignored: " + typed + " is a file, not a git repository");
    }
    Path target;
    try {
      target = workspace.dir("upload").resolve("src");
    } catch (IOException e) {
      throw new SourceFetchException("could not create the source directory: " + e.getMessage(),
          "check that the temporary directory is writable", e);
    }
    return new BinarySourceFetcher(events).fetch(spec, file, typed, target);
  }

  /** Upstream silently builds only what is committed; say so, and how to build the rest. */
  private void warnUncommitted(Path dir, String typed) {
    Optional<Set<String>> changed = LocalRepository.uncommitted(dir);
    if (changed.isEmpty() || changed.get().isEmpty()) {
      return;
    }
    Set<String> paths = changed.get();
    String listed = String.join(", ", paths.stream().limit(LISTED_UNCOMMITTED).toList())
        + (paths.size() > LISTED_UNCOMMITTED ? ", ..." : "");
    events.warn(typed + " has " + paths.size() + " uncommitted change(s) that will not be built ("
        + listed + "): only committed content of a git repository is used. "
        + "Commit them, or set source.forceCopy to build the directory as it is");
  }
}
