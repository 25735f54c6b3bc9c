package io.s2i.internal.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;

/** Fetches a script from a {@code file://}, {@code http://} or {@code https://} URL. */
public class ScriptDownloader {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private volatile HttpClient http;

  /**
   * Copies the script at {@code url} to {@code target} with mode 0755.
   *
   * @throws IOException naming the URL and why it could not be fetched
   */
  public void download(String url, Path target) throws IOException {
    String scheme = scheme(url);
    switch (scheme) {
      case "file" -> copyFile(fileUrlPath(url), target);
      case "http", "https" -> fetchHttp(url, target);
      default -> throw new IOException("no URL handler for " + url);
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The lower-case scheme of a URL, or empty when it has none. */
  public static String scheme(String url) {
    int colon = url.indexOf("://");
    return colon <= 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /**
   * The host path of a {@code file://} URL. Like upstream, host and path are joined, so
   * {@code file://relative/dir} is relative to the working directory.
   */
  static Path fileUrlPath(String url) {
    return Path.of(url.substring("file://".length()));
  }

  private static void copyFile(Path source, Path target) throws IOException {
    if (!Files.isRegularFile(source)) {
      throw new IOException("script " + source + " does not exist");
    }
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private void fetchHttp(String url, Path target) throws IOException {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid URL " + url + ": " + e.getMessage(), e);
    }
    HttpResponse<InputStream> response;
    try {
      response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + url, e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200 && response.statusCode() != 201) {
        throw new IOException("failed to retrieve " + url + ", response code " + response.statusCode());
      }
      Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private HttpClient client() {
    HttpClient c = http;
    if (c == null) {
      c = HttpClient.newBuilder().connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      http = c;
    }
    return c;
  }
}
