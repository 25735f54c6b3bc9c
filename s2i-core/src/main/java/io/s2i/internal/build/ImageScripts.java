package io.s2i.internal.build;

import io.s2i.engine.ContainerHandle;
import io.s2i.engine.EngineException;
import io.s2i.internal.contract.ScriptName;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.scripts.ScriptsNotFoundException;
import java.util.Map;

/**
 * Checks, in a container made but not yet started, that the scripts the build takes from the
 * image (an {@code image://} scripts location) are there. The location only names a directory; a
 * missing {@code assemble} would otherwise fail as a shell error blamed on the image's shell, and
 * a missing {@code run} would give an image that cannot start.
 */
public final class ImageScripts {
  private ImageScripts() {}

  /**
   * Fails when one of {@code names} is to be found in the image and is not.
   *
   * @param image the image's name, for the message
   */
  public static void requirePresent(ContainerHandle container, String image, Map<ScriptName, ResolvedScript> scripts,
      ScriptName... names) throws EngineException, ScriptsNotFoundException {
    for (ScriptName name : names) {
      if (scripts.get(name) instanceof ResolvedScript.InImage inImage && !container.exists(inImage.path())) {
        throw new ScriptsNotFoundException("the image " + image + " has no " + name.fileName() + " script at "
            + inImage.path() + ", where " + inImage.origin() + " says the scripts are",
            "give the scripts' real place in scripts.scriptsUrl, or put a " + name.fileName()
                + " script in the source's .s2i/bin");
      }
    }
  }
}
