package io.s2i.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.EnvVar;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.cli.options.Converters;
import io.s2i.service.model.ServiceJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code s2i start-build NAME}: starts a build of a configuration, optionally from local input
 * streamed to the server (a directory or repository is tarred on the fly, never held in memory),
 * following its log and waiting for its end.
 */
@Command(name = "start-build", description = "Start a build of a build configuration.", sortOptions = false)
public final class StartBuildCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "NAME", description = "The build configuration.")
  String name;

  @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", converter = Converters.Env.class,
      description = "Environment variable for this build (repeatable).")
  List<EnvVar> env = new ArrayList<>();

  @Option(names = "--commit", paramLabel = "REF", description = "Commit (or ref) to build instead of the configuration's ref.")
  String commit;

  @Option(names = "--incremental", description = "Build incrementally (restore the previous image's artifacts).")
  Boolean incremental;

  @Option(names = "--no-cache", description = "Build even when the image was built from the same inputs.")
  boolean noCache;

  @Option(names = {"-F", "--follow"}, description = "Stream the build's log until it ends.")
  boolean follow;

  @Option(names = {"-w", "--wait"}, description = "Wait for the build to end; exit with its status (0 when Complete).")
  boolean await;

  @ArgGroup(exclusive = true)
  Input input;

  /** The binary inputs; at most one. */
  static final class Input {
    @Option(names = "--from-file", paramLabel = "FILE", description = "Build from this file (it arrives as one file).")
    Path file;

    @Option(names = "--from-dir", paramLabel = "DIR", description = "Build from this directory's contents (.git left out).")
    Path dir;

    @Option(names = "--from-archive", paramLabel = "ARCHIVE", description = "Build from this tar, tar.gz or zip (unpacked on the server).")
    Path archive;

    @Option(names = "--from-repo", paramLabel = "DIR", description = "Build from this local git repository's committed content (--commit picks the commit).")
    Path repo;
  }

  @Override
  public Integer call() throws Exception {
    ServiceClient client = server.client();
    String base = "/api/v1/buildconfigs/" + ServiceClient.enc(name);
    JsonNode build;
    if (input == null) {
      ObjectNode body = ServiceJson.json().createObjectNode();
      ArrayNode envs = body.putArray("env");
      env.forEach(e -> envs.addObject().put("name", e.name()).put("value", e.value()));
      if (commit != null) {
        body.put("commit", commit);
      }
      if (incremental != null) {
        body.put("incremental", incremental);
      }
      if (noCache) {
        body.put("noCache", true);
      }
      build = client.call(client.request(base + "/instantiate").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    } else {
      build = client.call(client.request(base + "/instantiatebinary?" + binaryQuery())
          .header("Content-Type", "application/octet-stream").POST(publisher()).build());
    }
    String buildName = build.get("name").asText();
    System.out.println("build/" + buildName + " started");
    if (follow) {
      LogsCommand.copy(client, "/api/v1/builds/" + buildName + "/log?follow=true", false);
    }
    if (!await) {
      return 0;
    }
    return BuildStatus.waitFor(client, buildName);
  }

  private String binaryQuery() throws S2iException {
    List<String> q = new ArrayList<>();
    Path path;
    if (input.file != null) {
      path = input.file;
      q.add("as=file");
      q.add("name=" + ServiceClient.enc(path.getFileName().toString()));
      requireFile(path);
    } else if (input.archive != null) {
      path = input.archive;
      q.add("as=archive");
      requireFile(path);
    } else {
      path = input.dir != null ? input.dir : input.repo;
      q.add(input.dir != null ? "as=dir" : "as=repo");
      if (!Files.isDirectory(path)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, path + " is not a directory", null);
      }
      if (input.repo != null && !Files.isDirectory(path.resolve(".git"))) {
        throw new S2iException(FailureReason.INVALID_REQUEST, path + " is not a git repository (no .git)",
            "use --from-dir for a plain directory");
      }
    }
    env.forEach(e -> q.add("env=" + ServiceClient.enc(e.toEntry())));
    if (commit != null) {
      q.add("commit=" + ServiceClient.enc(commit));
    }
    if (incremental != null) {
      q.add("incremental=" + incremental);
    }
    if (noCache) {
      q.add("noCache=true");
    }
    return String.join("&", q);
  }

  private static void requireFile(Path p) throws S2iException {
    if (!Files.isRegularFile(p)) {
      throw new S2iException(FailureReason.INVALID_REQUEST, p + " is not a file", null);
    }
  }

  private HttpRequest.BodyPublisher publisher() throws IOException {
    if (input.file != null) {
      return HttpRequest.BodyPublishers.ofFile(input.file);
    }
    if (input.archive != null) {
      return HttpRequest.BodyPublishers.ofFile(input.archive);
    }
    Path dir = input.dir != null ? input.dir : input.repo;
    boolean withGit = input.repo != null;
    return HttpRequest.BodyPublishers.ofInputStream(() -> tarStream(dir, withGit));
  }

  /** The directory as a tar.gz, made on another thread as the upload reads it. */
  static InputStream tarStream(Path dir, boolean withGit) {
    PipedInputStream in = new PipedInputStream(256 * 1024);
    PipedOutputStream out;
    try {
      out = new PipedOutputStream(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Thread t = new Thread(() -> {
      try (OutputStream o = out) {
        writeTar(dir, withGit, o);
      } catch (IOException e) {
        // the upload ends short; the server refuses the truncated archive
      }
    }, "s2i-upload-tar");
    t.setDaemon(true);
    t.start();
    return in;
  }

  static void writeTar(Path dir, boolean withGit, OutputStream out) throws IOException {
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(gz);
         Stream<Path> walk = Files.walk(dir)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path p : walk.sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (rel.isEmpty() || (!withGit && (rel.equals(".git") || rel.startsWith(".git/")))) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          TarArchiveEntry e = new TarArchiveEntry(rel, TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
          tar.putArchiveEntry(e);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tar.putArchiveEntry(new TarArchiveEntry(p.toFile(), rel + "/"));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          tar.putArchiveEntry(new TarArchiveEntry(p.toFile(), rel));
          Files.copy(p, tar);
        } else {
          continue;
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
