package io.s2i.internal.build.step;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.internal.archive.DirectoryTree;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.source.IgnoreRules;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The source tree as it goes into a build: without what {@code --exclude} and
 * {@code .s2iignore} leave out, and without the scripts taken from its {@code .s2i/bin}.
 */
public final class SourceTreeFactory {
  private SourceTreeFactory() {}

  /** The tree of {@code source} under {@code prefix}, leaving out {@code alsoExcluded} too. */
  public static DirectoryTree of(PreparedSource source, String excludePattern, boolean keepSymlinks,
      Collection<ResolvedScript> scripts, String prefix, Set<String> alsoExcluded) throws S2iException {
    Path root = source.root();
    Pattern exclude = null;
    if (!excludePattern.isEmpty()) {
      try {
        exclude = Pattern.compile(excludePattern);
      } catch (PatternSyntaxException e) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "source.excludePattern is not a valid regular expression: " + e.getDescription(),
            "fix the pattern, for example '(^|/)\\.git(/|$)'");
      }
    }
    Set<String> moved = new HashSet<>(alsoExcluded);
    for (ResolvedScript s : scripts) {
      if (s instanceof ResolvedScript.Uploaded up && up.fromSource()) {
        moved.add(root.relativize(up.file()).toString().replace('\\', '/'));
      }
    }
    Set<String> ignored;
    try {
      ignored = IgnoreRules.read(root.resolve(ContractPaths.IGNORE_FILE)).ignoredPaths(root);
    } catch (IOException e) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED,
          "could not apply " + ContractPaths.IGNORE_FILE + ": " + e.getMessage(),
          "check the source's permissions", e);
    }
    SourceFilter filter = new SourceFilter(exclude, ignored, moved);
    return new DirectoryTree(root, prefix, filter::excludes, keepSymlinks);
  }
}
