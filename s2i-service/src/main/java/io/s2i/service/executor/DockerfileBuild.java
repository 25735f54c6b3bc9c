package io.s2i.service.executor;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.OutputSink;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.EnvEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The Docker strategy: the source's Dockerfile built by the engine. The source is cloned (or the
 * upload unpacked), the configuration's env is added as {@code ENV} after the last {@code FROM},
 * and the context is streamed to the engine as a tar.
 */
final class DockerfileBuild {
  private final ContainerEngine engine;
  private final BuildReporter reporter;

  /** The image built and the commit it was built from. */
  record Result(String imageId, Build.Revision revision) {}

  DockerfileBuild(ContainerEngine engine, BuildReporter reporter) {
    this.engine = engine;
    this.reporter = reporter;
  }

  Result run(BuildConfig config, BuildOptions options, BuildJob job) throws S2iException, IOException {
    Path root;
    Build.Revision revision = null;
    if (config.source().type() == BuildConfig.SourceType.Git) {
      root = job.workDir().resolve("src");
      revision = clone(config, options, root);
    } else {
      root = job.workDir().resolve("src");
    }
    Path context = config.source().contextDir() == null ? root : root.resolve(config.source().contextDir()).normalize();
    if (!context.startsWith(root) || !Files.isDirectory(context, LinkOption.NOFOLLOW_LINKS)) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "the context directory "
          + config.source().contextDir() + " is not in the source", "fix source.contextDir");
    }
    String dockerfilePath = config.strategy().dockerfilePath() == null ? "Dockerfile" : config.strategy().dockerfilePath();
    Path dockerfile = context.resolve(dockerfilePath).normalize();
    if (!dockerfile.startsWith(context) || !Files.isRegularFile(dockerfile, LinkOption.NOFOLLOW_LINKS)) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "the source has no " + dockerfilePath,
          "add it, or set strategy.dockerfilePath");
    }
    List<EnvEntry> env = RequestMapper.env(config, options);
    for (EnvEntry e : env) {
      if (e.secret()) {
        // An ENV line stays in the image: anyone who pulls it would read the secret.
        throw new S2iException(FailureReason.INVALID_REQUEST, "the secret variable " + e.name()
            + " cannot be given to a Docker strategy build: its ENV line would keep the value in the image",
            "use the Source strategy, whose assemble gets secret variables without keeping them, or unmark it");
      }
    }
    String text = withEnv(Files.readString(dockerfile), env);
    Instant start = Instant.now();
    reporter.stepStarted("DockerBuild");
    boolean ok = false;
    try {
      String id = engine.images().build(out -> writeContext(context, dockerfile, text, out),
          Optional.of(io.s2i.api.ImageRef.parse(config.output().image()).withDefaultTag()), Optional.empty(),
          new OutputSink() {
            @Override
            public void stdout(String line) {
              reporter.log(line);
            }

            @Override
            public void stderr(String line) {
              reporter.log(line);
            }
          });
      ok = true;
      return new Result(id, revision);
    } catch (S2iException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw e;
      }
      throw new S2iException(FailureReason.GENERIC, "the Dockerfile build failed: " + e.getMessage(),
          e.suggestion().orElse(null), e);
    } finally {
      reporter.stepFinished("DockerBuild", Duration.between(start, Instant.now()), ok);
    }
  }

  private Build.Revision clone(BuildConfig config, BuildOptions options, Path dir) throws S2iException {
    Instant start = Instant.now();
    reporter.stepStarted("CloneSource");
    boolean ok = false;
    String ref = options.commit() != null ? options.commit() : config.source().git().ref();
    reporter.log("Cloning " + config.source().git().uri() + (ref == null ? "" : " at " + ref));
    try (Git git = Git.cloneRepository().setURI(config.source().git().uri()).setDirectory(dir.toFile())
        .setCloneSubmodules(false).call()) {
      ObjectId id = ref == null ? git.getRepository().resolve("HEAD") : resolve(git, ref);
      if (id == null) {
        throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "the ref " + ref + " is not in "
            + config.source().git().uri(), "fix source.git.ref or the commit asked for");
      }
      git.checkout().setName(id.name()).call();
      try (RevWalk walk = new RevWalk(git.getRepository())) {
        RevCommit c = walk.parseCommit(id);
        ok = true;
        return new Build.Revision(c.name(), ref == null ? "HEAD" : ref,
            c.getAuthorIdent().getName() + " <" + c.getAuthorIdent().getEmailAddress() + ">", c.getShortMessage());
      }
    } catch (GitAPIException | IOException e) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "cloning " + config.source().git().uri()
          + " failed: " + FailureMapping.oneLine(e.getMessage()), "check source.git.uri and ref", e);
    } finally {
      reporter.stepFinished("CloneSource", Duration.between(start, Instant.now()), ok);
    }
  }

  private static ObjectId resolve(Git git, String ref) throws IOException {
    for (String candidate : List.of("refs/remotes/origin/" + ref, "refs/tags/" + ref, ref)) {
      ObjectId id = git.getRepository().resolve(candidate + "^{commit}");
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  /** {@code ENV} lines for the build's variables after the last {@code FROM}. */
  static String withEnv(String dockerfile, List<EnvEntry> env) {
    if (env.isEmpty()) {
      return dockerfile;
    }
    List<String> lines = new java.util.ArrayList<>(dockerfile.lines().toList());
    int last = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().toUpperCase(java.util.Locale.ROOT).startsWith("FROM ")) {
        last = i;
      }
    }
    StringBuilder envLine = new StringBuilder("ENV");
    for (EnvEntry e : env) {
      envLine.append(' ').append(e.name()).append("=\"")
          .append(e.value().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }
    lines.add(last + 1, envLine.toString());
    return String.join("\n", lines) + "\n";
  }

  private static void writeContext(Path context, Path dockerfile, String text, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    try (Stream<Path> walk = Files.walk(context)) {
      for (Path p : walk.sorted().toList()) {
        String name = context.relativize(p).toString().replace('\\', '/');
        if (name.isEmpty() || name.equals(".git") || name.startsWith(".git/") || name.equals("Dockerfile")
            || p.equals(dockerfile)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
          tar.putArchiveEntry(e);
          tar.closeArchiveEntry();
        } else if (Files.isDirectory(p)) {
          tar.putArchiveEntry(new TarArchiveEntry(p.toFile(), name + "/"));
          tar.closeArchiveEntry();
        } else if (Files.isRegularFile(p)) {
          TarArchiveEntry e = new TarArchiveEntry(p.toFile(), name);
          tar.putArchiveEntry(e);
          Files.copy(p, tar);
          tar.closeArchiveEntry();
        }
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
    e.setSize(bytes.length);
    e.setMode(0644);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
    tar.finish();
  }
}
