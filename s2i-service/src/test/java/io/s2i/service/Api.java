package io.s2i.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A small HTTP client of the API for tests. */
final class Api {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;
  final String token;

  Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** An answer: status and body. */
  record Answer(int status, String body) {}

  HttpRequest.Builder req(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(3));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  Answer send(HttpRequest r) {
    try {
      HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
      return new Answer(resp.statusCode(), resp.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer get(String path) {
    return send(req(path).GET().build());
  }

  Answer post(String path, String json) {
    return send(req(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  Answer postYaml(String path, String yaml) {
    return send(req(path).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
  }

  Answer put(String path, String json) {
    return send(req(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  Answer delete(String path) {
    return send(req(path).DELETE().build());
  }

  Answer upload(String path, Path file) throws IOException {
    return send(req(path).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofFile(file)).build());
  }

  /** A streaming GET (for followed logs). */
  InputStream stream(String path, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder b = req(path).timeout(Duration.ofMinutes(5)).GET();
    if (accept != null) {
      b.header("Accept", accept);
    }
    HttpResponse<InputStream> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (resp.statusCode() != 200) {
      throw new IOException("status " + resp.statusCode() + ": " + new String(resp.body().readAllBytes()));
    }
    return resp.body();
  }
}
