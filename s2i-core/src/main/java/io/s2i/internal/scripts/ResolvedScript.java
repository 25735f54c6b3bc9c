package io.s2i.internal.scripts;

import io.s2i.internal.contract.ScriptName;
import java.nio.file.Path;

/** A script that was found: either inside the image, or a host file to upload with the inputs. */
public sealed interface ResolvedScript {
  ScriptName name();

  /** Where it was found, for messages. */
  String origin();

  /** A script that already lives in the image at {@code path}. */
  record InImage(ScriptName name, String path, String origin) implements ResolvedScript {}

  /**
   * A host file that is shipped in the input tar under {@code scripts/}.
   *
   * @param fromSource whether it came from the source's {@code .s2i/bin}; then it is moved out of
   *     the source tree
   */
  record Uploaded(ScriptName name, Path file, String origin, boolean fromSource)
      implements ResolvedScript {}
}
