package io.s2i.cli.service;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.service.uploads.UploadExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code s2i fetch-input}: what the init container of a build's Kubernetes Job runs. It fetches the
 * build's binary input from the server that holds it, with the one-time token the server put in the
 * Job's Secret, and unpacks it as the local executor would (hostile archives refused by the same
 * rules) into the directory the build then uses as its source.
 */
@Command(name = "fetch-input", description = "Fetch a build's binary input from s2i serve (a Kubernetes build"
    + " pod's first step) and unpack it.", sortOptions = false)
public final class FetchInputCommand implements Callable<Integer> {
  /** The unpacked size and entry count allowed: those of s2i serve's default (2 GiB upload, 4x unpacked). */
  static final long MAX_BYTES = 8L << 30;
  static final int MAX_ENTRIES = 200_000;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Option(names = "--from", required = true, paramLabel = "URL", description = "The input's URL on the server.")
  String url;

  @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "File holding the one-time token.")
  Path tokenFile;

  @Option(names = "--kind", required = true, paramLabel = "KIND",
      description = "What was uploaded: file, archive, dir or repo.")
  String kind;

  @Option(names = "--name", paramLabel = "NAME", description = "The file's name, for --kind file.")
  String name;

  @Option(names = "--into", required = true, paramLabel = "DIR", description = "Where the input goes.")
  Path into;

  @Override
  public Integer call() throws Exception {
    if (!java.util.List.of("file", "archive", "dir", "repo").contains(kind)) {
      throw usage("--kind " + kind + " is not file, archive, dir or repo");
    }
    if (kind.equals("file") && (name == null || name.isEmpty() || name.contains("/") || name.equals(".")
        || name.equals(".."))) {
      throw usage("--kind file needs --name, a file name without slashes");
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw usage("--from " + url + " is not an http(s) URL");
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw usage("--token-file " + tokenFile + " cannot be read: " + e.getMessage());
    }
    Files.createDirectories(into);
    Path download = Files.createTempFile(into.toAbsolutePath().getParent(), ".s2i-input-", ".part");
    try {
      long size = download(token, download);
      if (kind.equals("file")) {
        UploadExtractor.placeFile(download, into, name);
      } else {
        new UploadExtractor(MAX_BYTES, MAX_ENTRIES).extract(download, into);
        if (!kind.equals("repo")) {
          // As the local executor: an uploaded directory is built as it is, not as a checkout.
          deleteTree(into.resolve(".git"));
        }
      }
      System.err.println("Received the " + kind + " input (" + size + " bytes)");
      return 0;
    } catch (UploadExtractor.UploadException e) {
      throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "the build's input was refused: " + e.getMessage(),
          "upload a tar, tar.gz or zip archive without links or names that leave it", e);
    } finally {
      Files.deleteIfExists(download);
    }
  }

  private long download(String token, Path to) throws S2iException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofMinutes(30)).GET().build();
    // Only a request that never reached the server is tried again: the token works once.
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          if (response.statusCode() != 200) {
            String reason = new String(body.readNBytes(2048), StandardCharsets.UTF_8);
            throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "fetching the build's input from " + url
                + " failed: HTTP " + response.statusCode() + " " + reason(reason), null);
          }
          Files.copy(body, to, StandardCopyOption.REPLACE_EXISTING);
          return Files.size(to);
        }
      } catch (ConnectException e) {
        if (attempt >= 10) {
          throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "the server at " + url + " cannot be reached: "
              + e.getMessage(), "check the serverUrl of the kubernetes executor's settings", e);
        }
        Thread.sleep(Math.min(10_000, 500L * attempt));
      } catch (IOException e) {
        throw new S2iException(FailureReason.FETCH_SOURCE_FAILED, "fetching the build's input from " + url
            + " failed: " + e.getMessage(), null, e);
      }
    }
  }

  /** The one-line reason of the server's JSON error answer, or the text as it is. */
  private static String reason(String body) {
    int at = body.indexOf("\"error\"");
    if (at >= 0) {
      int start = body.indexOf('"', body.indexOf(':', at) + 1);
      int end = start < 0 ? -1 : body.indexOf('"', start + 1);
      if (start >= 0 && end > start) {
        return body.substring(start + 1, end);
      }
    }
    return body.replace('\n', ' ').strip();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static S2iException usage(String what) {
    return new S2iException(FailureReason.INVALID_REQUEST, what, null);
  }
}
