package io.s2i.internal.scripts;

import io.s2i.internal.contract.S2iLabels;
import io.s2i.api.EventSink;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.ScriptName;
import io.s2i.internal.fs.UnixPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds each script in upstream's order: the user's {@code --scripts-url}, then the source's
 * {@code .s2i/bin} (or the deprecated {@code .sti/bin}), then the image's scripts location. The
 * first place that has a script wins, script by script.
 */
public final class ScriptResolver {
  private final ScriptDownloader downloader;
  private final EventSink events;

  public ScriptResolver(ScriptDownloader downloader, EventSink events) {
    this.downloader = downloader;
    this.events = events;
  }

  /**
   * What to look for and where.
   *
   * @param required scripts whose absence fails the build
   * @param optional scripts that are used when found
   * @param userUrl {@code --scripts-url}
   * @param sourceRoot the prepared source root, if there is a source
   * @param imageUrl the image's scripts location
   * @param downloadDir where downloaded scripts are stored
   */
  public record Request(
      Set<ScriptName> required,
      Set<ScriptName> optional,
      Optional<String> userUrl,
      Optional<Path> sourceRoot,
      Optional<String> imageUrl,
      Path downloadDir) {}

  /** Resolves every requested script, or throws naming each missing one and where it was sought. */
  public Map<ScriptName, ResolvedScript> resolve(Request request) throws ScriptsNotFoundException {
    Map<ScriptName, ResolvedScript> found = new EnumMap<>(ScriptName.class);
    Set<ScriptName> wanted = new LinkedHashSet<>(request.required());
    wanted.addAll(request.optional());
    int userUrlFailures = 0;
    for (ScriptName name : wanted) {
      List<String> failures = new ArrayList<>();
      Optional<ResolvedScript> script = Optional.empty();
      if (request.userUrl().isPresent()) {
        script = fromUrl(name, request.userUrl().get(), "scripts.scriptsUrl", request.downloadDir(), failures);
        if (script.isEmpty()) {
          userUrlFailures++;
        }
      }
      if (script.isEmpty() && request.sourceRoot().isPresent()) {
        script = fromSource(name, request.sourceRoot().get());
      }
      if (script.isEmpty() && request.imageUrl().isPresent()) {
        script = fromUrl(name, request.imageUrl().get(), "image label", request.downloadDir(), failures);
      }
      if (script.isPresent()) {
        events.debug("Using \"" + name + "\" from " + script.get().origin());
        found.put(name, script.get());
      } else if (!request.required().contains(name)) {
        events.debug("Optional script \"" + name + "\" not found" + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)));
      }
    }
    List<String> missing = request.required().stream()
        .filter(n -> !found.containsKey(n)).map(ScriptName::fileName).toList();
    if (!missing.isEmpty()) {
      throw new ScriptsNotFoundException(
          "failed to install [" + String.join(" ", missing) + "]: searched "
              + searched(request),
          "set the scripts URL parameter with the location of the S2I scripts, or check if the image has the \"" + S2iLabels.SCRIPTS_URL + "\" label set");
    }
    if (request.userUrl().isPresent() && userUrlFailures == wanted.size() && !wanted.isEmpty()) {
      throw new ScriptsNotFoundException(
          "could not download any scripts from URL " + request.userUrl().get(),
          "check that scripts.scriptsUrl points at a directory holding the s2i scripts");
    }
    return found;
  }

  private static String searched(Request request) {
    List<String> places = new ArrayList<>();
    request.userUrl().ifPresent(u -> places.add("scripts.scriptsUrl " + u));
    request.sourceRoot().ifPresent(r -> places.add("the source's " + ContractPaths.SOURCE_SCRIPTS_DIR
        + " and " + ContractPaths.LEGACY_SOURCE_SCRIPTS_DIR));
    places.add(request.imageUrl().map(u -> "the image's scripts location " + u)
        .orElse("the image (it has no " + S2iLabels.SCRIPTS_URL + " label)"));
    return String.join(", ", places);
  }

  private Optional<ResolvedScript> fromUrl(
      ScriptName name, String baseUrl, String what, Path downloadDir, List<String> failures) {
    String url = stripTrailingSlash(baseUrl) + "/" + name.fileName();
    if (baseUrl.startsWith(ContractPaths.IMAGE_SCHEME)) {
      String dir = baseUrl.substring(ContractPaths.IMAGE_SCHEME.length());
      return Optional.of(new ResolvedScript.InImage(name, UnixPaths.join(dir, name.fileName()), what + " " + baseUrl));
    }
    try {
      Files.createDirectories(downloadDir);
      Path target = downloadDir.resolve(name.fileName());
      downloader.download(url, target);
      return Optional.of(new ResolvedScript.Uploaded(name, target, what + " " + baseUrl, false));
    } catch (IOException e) {
      failures.add(e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<ResolvedScript> fromSource(ScriptName name, Path root) {
    Path file = root.resolve(ContractPaths.SOURCE_SCRIPTS_DIR).resolve(name.fileName());
    if (Files.isRegularFile(file)) {
      return Optional.of(new ResolvedScript.Uploaded(name, file, "source " + ContractPaths.SOURCE_SCRIPTS_DIR, true));
    }
    Path legacy = root.resolve(ContractPaths.LEGACY_SOURCE_SCRIPTS_DIR).resolve(name.fileName());
    if (Files.isRegularFile(legacy)) {
      events.info("DEPRECATED: Use .s2i/bin instead of .sti/bin");
      return Optional.of(new ResolvedScript.Uploaded(name, legacy, "source " + ContractPaths.LEGACY_SOURCE_SCRIPTS_DIR, true));
    }
    return Optional.empty();
  }

  private static String stripTrailingSlash(String s) {
    String r = s;
    while (r.endsWith("/") && !r.endsWith("://")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
