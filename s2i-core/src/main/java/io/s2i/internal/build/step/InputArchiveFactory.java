package io.s2i.internal.build.step;

import io.s2i.api.S2iException;
import io.s2i.internal.archive.DirectoryTree;
import io.s2i.internal.archive.InputArchive;
import io.s2i.internal.build.AssemblePlan;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.scripts.ResolvedScript;
import java.util.Set;

/** The scripts and source of a plan as an input archive, ready for artifacts or options. */
final class InputArchiveFactory {
  private InputArchiveFactory() {}

  static InputArchive.Builder of(AssemblePlan plan, String excludePattern, boolean keepSymlinks)
      throws S2iException {
    return of(plan, sourceTree(plan, excludePattern, keepSymlinks));
  }

  /** The same, with the source part made already. */
  static InputArchive.Builder of(AssemblePlan plan, DirectoryTree source) {
    InputArchive.Builder builder = InputArchive.builder();
    for (ResolvedScript s : plan.scripts().values()) {
      if (s instanceof ResolvedScript.Uploaded up) {
        builder.script(up.name().fileName(), up.file());
      }
    }
    return builder.source(source);
  }

  /** The source part of the archive. */
  static DirectoryTree sourceTree(AssemblePlan plan, String excludePattern, boolean keepSymlinks)
      throws S2iException {
    return SourceTreeFactory.of(plan.source(), excludePattern, keepSymlinks, plan.scripts().values(),
        ContractPaths.SRC_DIR, Set.of());
  }
}
