package io.s2i.internal.build.strategy;

import io.s2i.internal.fs.FileTrees;
import io.s2i.api.BuildRequest;
import io.s2i.api.DockerfileRequest;
import io.s2i.api.RuntimeImageSpec;
import io.s2i.api.EnvVar;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.api.PathMapping;
import io.s2i.api.S2iException;
import io.s2i.api.ScriptsSpec;
import io.s2i.api.SourceInfo;
import io.s2i.internal.archive.InjectionArchive;
import io.s2i.internal.build.UserPolicy;
import io.s2i.internal.build.Workspace;
import io.s2i.internal.build.step.FetchSourceStep;
import io.s2i.internal.contract.BuilderImageContract;
import io.s2i.internal.contract.ContractPaths;
import io.s2i.internal.contract.OutputLabels;
import io.s2i.internal.contract.S2iLabels;
import io.s2i.internal.contract.ScriptName;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageInfo;
import io.s2i.internal.fs.UnixPaths;
import io.s2i.internal.scripts.ResolvedScript;
import io.s2i.internal.scripts.ScriptDownloader;
import io.s2i.internal.scripts.ScriptResolver;
import io.s2i.internal.source.EnvironmentFiles;
import io.s2i.internal.source.IgnoreRules;
import io.s2i.internal.source.PreparedSource;
import io.s2i.internal.source.SourceFilter;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Writes a Dockerfile and its context ({@code upload/}) instead of building. The builder's (and
 * runtime image's) labels are read from the engine when it has the image, so the image's scripts
 * location, destination, assemble user and {@code USER} are honoured; with no engine, or an image
 * it lacks, upstream's defaults apply ({@code --image-scripts-url}, {@code /tmp}, user 1001).
 * Everything is written to a staging directory next to the output and moved into place at the
 * end, so a failure leaves nothing behind.
 */
public final class DockerfileStrategy {
  /** Upstream's assemble user when the builder cannot be inspected. */
  static final String DEFAULT_USER = "1001";

  private final Optional<ContainerEngine> engine;
  private final EventSink events;
  private final ScriptDownloader downloader;

  public DockerfileStrategy(Optional<ContainerEngine> engine, EventSink events, ScriptDownloader downloader) {
    this.engine = engine;
    this.events = events;
    this.downloader = downloader;
  }

  /** Writes the Dockerfile and returns its path. */
  public Path execute(DockerfileRequest request) throws S2iException {
    Path dockerfile = dockerfilePath(request.dockerfilePath());
    Path dir = dockerfile.toAbsolutePath().getParent();
    Path created = firstMissing(dir);
    Path staging;
    try {
      Files.createDirectories(dir);
      staging = Files.createTempDirectory(dir, ".s2i-dockerfile-");
    } catch (IOException e) {
      removeCreated(created);
      throw new S2iException(FailureReason.INVALID_REQUEST,
          "cannot write the Dockerfile in " + dir + ": " + describe(e),
          "give dockerfilePath a path in a writable directory");
    }
    boolean done = false;
    try (Workspace workspace = Workspace.create(request.build().keepWorkspace())) {
      String content = prepare(request, staging, dir, workspace);
      Files.writeString(staging.resolve("Dockerfile"), content);
      Path upload = dir.resolve("upload");
      FileTrees.delete(upload);
      Files.move(staging.resolve("upload"), upload);
      Files.move(staging.resolve("Dockerfile"), dockerfile, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      return dockerfile;
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "writing the Dockerfile context in " + dir
          + " failed: " + describe(e), "check the free space and permissions of " + dir, e);
    } finally {
      FileTrees.deleteQuietly(staging);
      if (!done) {
        removeCreated(created);
      }
    }
  }

  private String prepare(DockerfileRequest request, Path staging, Path outputDir, Workspace workspace)
      throws S2iException, IOException {
    BuildRequest build = request.build();
    BuilderImageContract builder = inspect(build.builderImage().withDefaultTag(), build.scripts());
    boolean known = !builder.image().id().isEmpty();
    Optional<String> requestedUser = build.run().assembleUser();
    String assembleUser = known ? UserPolicy.assembleUser(requestedUser, builder)
        : requestedUser.orElse(DEFAULT_USER);
    if (known) {
      UserPolicy.check(build.run().allowedUids(), requestedUser, builder);
    } else if (!build.run().allowedUids().isEmpty() && !build.run().allowedUids().allows(assembleUser)) {
      throw new S2iException(FailureReason.ASSEMBLE_USER_FORBIDDEN, "assemble user \"" + assembleUser
          + "\" must be numeric and within the range of allowed users (" + build.run().allowedUids() + ")",
          "pass run.assembleUser with an allowed numeric user");
    }
    String destination = build.scripts().destination().or(builder::destination).orElse(ContractPaths.DEFAULT_DESTINATION);

    Path upload = Files.createDirectories(staging.resolve("upload"));
    Path src = Files.createDirectories(upload.resolve("src"));
    Path scriptsDir = Files.createDirectories(upload.resolve("scripts"));
    Optional<PreparedSource> source = Optional.empty();
    if (request.withSource()) {
      PreparedSource fetched = new FetchSourceStep(events, workspace).run(build.source());
      Path real = fetched.root().toRealPath();
      if (outputDir.toRealPath().startsWith(real)) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "the Dockerfile directory " + outputDir + " lies inside the source " + build.source().location(),
            "write the Dockerfile outside the source directory");
      }
      source = Optional.of(fetched);
    }

    boolean incremental = build.incremental().isPresent();
    Set<ScriptName> optional = EnumSet.noneOf(ScriptName.class);
    if (incremental) {
      optional.add(ScriptName.SAVE_ARTIFACTS);
    }
    Map<ScriptName, ResolvedScript> scripts = new ScriptResolver(downloader, events).resolve(new ScriptResolver.Request(
        EnumSet.of(ScriptName.ASSEMBLE, ScriptName.RUN), optional, build.scripts().scriptsUrl(),
        source.map(PreparedSource::root), imageScriptsUrl(builder, build.scripts()),
        workspace.scriptsDir(), source.flatMap(PreparedSource::cloneDir)));
    Set<String> moved = new HashSet<>();
    for (ResolvedScript s : scripts.values()) {
      if (s instanceof ResolvedScript.Uploaded up) {
        copyScript(up.file(), scriptsDir.resolve(up.name().fileName()));
        if (up.fromSource() && source.isPresent()) {
          moved.add(source.get().root().relativize(up.file()).toString().replace('\\', '/'));
        }
      }
    }
    List<EnvVar> env = new ArrayList<>();
    if (source.isPresent()) {
      // A clone's links stay links whatever was asked: following them would read this host's files.
      copySource(source.get().root(), src, filter(build, source.get(), moved),
          build.source().keepSymlinks() || source.get().linksKept());
      env.addAll(EnvironmentFiles.readSourceEnvironment(
          io.s2i.internal.source.SourceFiles.contractFile(source.get(), ContractPaths.SOURCE_ENVIRONMENT_FILE)));
    }
    env.addAll(build.env());
    BuildOnlyVariables.refuse(env, "--as-dockerfile");

    List<DockerfilePlan.Injection> injections = new ArrayList<>();
    List<String> injectedFiles = new ArrayList<>();
    String workDir = known && !builder.image().workingDir().isEmpty() ? builder.image().workingDir() : "/opt/app-root/src";
    int n = 0;
    for (PathMapping m : build.run().injections()) {
      Path host = Path.of(m.source()).toAbsolutePath().normalize();
      if (!Files.exists(host)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "injected path " + m.source() + " does not exist",
            "give run.injections an existing file or directory on this machine");
      }
      String containerPath = m.destination().startsWith("/") ? m.destination()
          : UnixPaths.join(workDir, m.destination().equals(".") ? "" : m.destination());
      String context = "upload/injections/" + (n++);
      Path copy = staging.resolve(context);
      Files.createDirectories(copy.getParent());
      if (Files.isDirectory(host)) {
        copySource(host, copy, new SourceFilter(null, Set.of(), Set.of()), false);
      } else {
        Files.copy(host, copy);
      }
      injections.add(new DockerfilePlan.Injection(context, containerPath));
      injectedFiles.addAll(new InjectionArchive(List.of(new InjectionArchive.Item(host, containerPath))).injectedFiles());
    }

    SourceInfo info = source.map(PreparedSource::info).orElse(new SourceInfo("", Optional.empty(), Optional.empty()));
    Map<String, String> labels = new java.util.LinkedHashMap<>(OutputLabels.generated(
        build.builderImage().normalized(), info, build.tag().map(Object::toString),
        build.displayName(), build.description()));
    labels.putAll(build.labels());

    Optional<DockerfilePlan.Incremental> inc = Optional.empty();
    if (incremental) {
      String previous = build.incremental().get().previousImage().map(Object::toString)
          .or(() -> build.tag().map(Object::toString))
          .orElseThrow(() -> new S2iException(FailureReason.INVALID_REQUEST,
              "Image tag is missing for incremental build", "set tag to the output image name"));
      ResolvedScript save = scripts.get(ScriptName.SAVE_ARTIFACTS);
      boolean override = save instanceof ResolvedScript.Uploaded;
      String saveCommand = override ? UnixPaths.join(destination, "scripts/save-artifacts")
          : save instanceof ResolvedScript.InImage in ? in.path()
          : UnixPaths.join(imageDir(builder, build.scripts()), "save-artifacts");
      inc = Optional.of(new DockerfilePlan.Incremental(previous,
          override ? Optional.of("upload/scripts/save-artifacts") : Optional.empty(), saveCommand));
    }
    Optional<DockerfilePlan.Runtime> runtime = Optional.empty();
    if (build.runtime().isPresent()) {
      runtime = Optional.of(runtimeStage(request, build.runtime().get(), scripts, source, staging, workspace));
    }
    String imageUser = known ? builder.user() : assembleUser;
    DockerfilePlan plan = new DockerfilePlan(build.builderImage().toString(), labels, env, assembleUser, imageUser,
        destination, scriptPath(scripts.get(ScriptName.ASSEMBLE), destination),
        scriptPath(scripts.get(ScriptName.RUN), destination), injections, injectedFiles, inc, runtime);
    return DockerfileRenderer.render(plan);
  }

  private DockerfilePlan.Runtime runtimeStage(DockerfileRequest request, RuntimeImageSpec spec,
      Map<ScriptName, ResolvedScript> builderScripts, Optional<PreparedSource> source, Path staging,
      Workspace workspace) throws S2iException, IOException {
    String image = spec.image().toString();
    // The spec's image was read by ImageRef, s2i's one reference parser.
    BuilderImageContract runtime = inspect(spec.image().withDefaultTag(), ScriptsSpec.defaults());
    boolean known = !runtime.image().id().isEmpty();
    List<PathMapping> artifacts = spec.artifacts();
    if (artifacts.isEmpty()) {
      Optional<String> label = runtime.assembleInputFiles();
      if (label.isEmpty()) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "no runtime artifacts to copy were specified"
            + (known ? ": " + image + " has no " + S2iLabels.ASSEMBLE_INPUT_FILES + " label"
                : ": " + image + " is not available to read its " + S2iLabels.ASSEMBLE_INPUT_FILES + " label"),
            "give runtime.artifacts src[:dst] for each file to copy into the runtime image");
      }
      artifacts = PathMapping.parseList(label.get());
    }
    for (PathMapping a : artifacts) {
      String why = !a.source().startsWith("/") ? "source must be an absolute path"
          : a.destination().startsWith("/") ? "destination must be a relative path"
          : a.destination().startsWith("..") ? "destination cannot start with '..'" : null;
      if (why != null) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "invalid runtime artifacts mapping: \""
            + a.source() + "\" -> \"" + a.destination() + "\": " + why, "fix the runtime.artifacts value or the image label");
      }
    }
    Map<ScriptName, ResolvedScript> rtScripts = new ScriptResolver(downloader, events).resolve(new ScriptResolver.Request(
        EnumSet.of(ScriptName.ASSEMBLE_RUNTIME), EnumSet.noneOf(ScriptName.class),
        request.build().scripts().scriptsUrl(), source.map(PreparedSource::root),
        imageScriptsUrl(runtime, request.build().scripts()), workspace.dir("downloads/runtime-scripts")));
    Path rtDir = staging.resolve("upload/runtime-scripts");
    boolean external = false;
    String assembleRuntime;
    ResolvedScript ar = rtScripts.get(ScriptName.ASSEMBLE_RUNTIME);
    if (ar instanceof ResolvedScript.Uploaded up) {
      copyScript(up.file(), Files.createDirectories(rtDir).resolve("assemble-runtime"));
      external = true;
      assembleRuntime = "scripts/assemble-runtime";
    } else {
      assembleRuntime = ((ResolvedScript.InImage) ar).path();
    }
    String run;
    ResolvedScript builderRun = builderScripts.get(ScriptName.RUN);
    if (builderRun instanceof ResolvedScript.Uploaded up) {
      copyScript(up.file(), Files.createDirectories(rtDir).resolve("run"));
      external = true;
      run = "scripts/run";
    } else {
      run = UnixPaths.join(imageDir(runtime, request.build().scripts()), "run");
    }
    String user = spec.assembleRuntimeUser().or(runtime::assembleRuntimeUser).orElse("");
    return new DockerfilePlan.Runtime(image, artifacts,
        external ? Optional.of("upload/runtime-scripts") : Optional.empty(), user,
        known ? Optional.of(runtime.user()) : Optional.empty(), assembleRuntime, run);
  }

  /** The image's contract when the engine has it; else an empty stand-in (id empty). */
  private BuilderImageContract inspect(String ref, ScriptsSpec scripts) {
    Optional<ImageInfo> info = Optional.empty();
    if (engine.isPresent()) {
      try {
        info = engine.get().images().inspect(ref);
      } catch (EngineException e) {
        events.detail("Could not inspect " + ref + ": " + e.getMessage());
      }
    }
    if (info.isEmpty()) {
      events.info("warning: " + ref + " is not available locally: its labels are not read, "
          + "upstream's defaults apply (scripts in " + scripts.imageScriptsUrl().orElse(ScriptsSpec.DEFAULT_IMAGE_SCRIPTS_URL)
          + ", destination /tmp, user " + DEFAULT_USER + ")");
      return new BuilderImageContract(ref, new ImageInfo("", Map.of(), List.of(), "", "", List.of(), List.of(), List.of(), 0), EventSink.discard());
    }
    return new BuilderImageContract(ref, info.get(), events);
  }

  private static Optional<String> imageScriptsUrl(BuilderImageContract image, ScriptsSpec scripts) {
    if (!image.image().id().isEmpty()) {
      Optional<String> url = image.scriptsUrl();
      if (url.isPresent()) {
        return url;
      }
    }
    return Optional.of(scripts.imageScriptsUrl().orElse(ScriptsSpec.DEFAULT_IMAGE_SCRIPTS_URL));
  }

  private static String imageDir(BuilderImageContract image, ScriptsSpec scripts) {
    String url = imageScriptsUrl(image, scripts).orElse(ScriptsSpec.DEFAULT_IMAGE_SCRIPTS_URL);
    return url.startsWith(ContractPaths.IMAGE_SCHEME) ? url.substring(ContractPaths.IMAGE_SCHEME.length()) : "/usr/libexec/s2i";
  }

  private static String scriptPath(ResolvedScript script, String destination) {
    if (script instanceof ResolvedScript.InImage in) {
      return in.path();
    }
    return UnixPaths.join(destination, "scripts/" + script.name().fileName());
  }

  private static SourceFilter filter(BuildRequest build, PreparedSource source, Set<String> moved) throws S2iException, IOException {
    Path root = source.root();
    Pattern exclude = null;
    String pattern = build.source().excludePattern();
    if (!pattern.isEmpty()) {
      try {
        exclude = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new S2iException(FailureReason.INVALID_REQUEST,
            "source.excludePattern is not a valid regular expression: " + e.getDescription(), "fix the pattern");
      }
    }
    Set<String> ignored = IgnoreRules.read(io.s2i.internal.source.SourceFiles.contractFile(source,
        ContractPaths.IGNORE_FILE)).ignoredPaths(root);
    return new SourceFilter(exclude, ignored, moved);
  }

  private static void copyScript(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Copies a tree, leaving out what the filter excludes; symlinks followed unless kept. */
  private static void copySource(Path root, Path target, SourceFilter filter, boolean keepSymlinks) throws IOException {
    Set<FileVisitOption> options = keepSymlinks ? Set.of() : Set.of(FileVisitOption.FOLLOW_LINKS);
    Files.walkFileTree(root, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String rel = root.relativize(dir).toString().replace('\\', '/');
        if (!rel.isEmpty() && filter.excludes(rel)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Path to = target.resolve(rel);
        if (!Files.isDirectory(to)) {
          Files.copy(dir, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String rel = root.relativize(file).toString().replace('\\', '/');
        if (!filter.excludes(rel)) {
          Files.copy(file, target.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (Files.isSymbolicLink(file)) {
          // A broken link is kept as a link, as upstream's copy does.
          Files.copy(file, target.resolve(root.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS);
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }
    });
  }

  static Path dockerfilePath(String output) {
    if (output.endsWith("/") || Files.isDirectory(Path.of(output))) {
      return Path.of(output, "Dockerfile");
    }
    return Path.of(output);
  }

  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  private static void removeCreated(Path created) {
    if (created != null) {
      FileTrees.deleteQuietly(created);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e instanceof java.nio.file.AccessDeniedException ? "permission denied (" + m + ")"
        : e instanceof java.nio.file.FileSystemException ? e.getClass().getSimpleName() + " " + m : String.valueOf(m);
  }

}
