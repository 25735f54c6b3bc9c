package io.s2i.cli.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.service.model.ServiceJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client commands' HTTP client of the build service's REST API. Errors become one-line
 * {@link S2iException}s: the server's reason for a 4xx, a hint for an unreachable server.
 */
final class ServiceClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  ServiceClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  String base() {
    return base;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /** Sends a request and returns the JSON answer; a non-2xx answer throws. */
  JsonNode call(HttpRequest request) throws S2iException {
    HttpResponse<String> resp = send(request, HttpResponse.BodyHandlers.ofString());
    check(resp.statusCode(), resp.body());
    try {
      return resp.body() == null || resp.body().isEmpty() ? null : ServiceJson.json().readTree(resp.body());
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "the server's answer is not JSON: " + e.getMessage(), null);
    }
  }

  <T> T call(HttpRequest request, Class<T> type) throws S2iException {
    return ServiceJson.json().convertValue(call(request), type);
  }

  <T> T call(HttpRequest request, TypeReference<T> type) throws S2iException {
    return ServiceJson.json().convertValue(call(request), type);
  }

  JsonNode get(String path) throws S2iException {
    return call(request(path).GET().build());
  }

  /** A streaming GET (followed logs); a non-2xx answer throws. */
  InputStream stream(String path) throws S2iException {
    HttpResponse<InputStream> resp = send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (resp.statusCode() / 100 != 2) {
      String body;
      try (InputStream in = resp.body()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      check(resp.statusCode(), body);
    }
    return resp.body();
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws S2iException {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw new S2iException(FailureReason.GENERIC, "cannot reach the s2i server at " + base,
          "start it with 's2i serve', or point --server (or s2i login) at the running one", e);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "talking to the s2i server at " + base + " failed: "
          + e.getMessage(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S2iException(FailureReason.INTERRUPTED, "interrupted", null, e);
    }
  }

  private void check(int status, String body) throws S2iException {
    if (status / 100 == 2) {
      return;
    }
    String reason = body;
    try {
      JsonNode n = ServiceJson.json().readTree(body);
      if (n != null && n.has("error")) {
        reason = n.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: the body as it is
    }
    if (status == 401) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "the server refused the token: " + reason,
          "run 's2i login --token TOKEN' with the token from the server's data directory (file 'token')");
    }
    throw new S2iException(FailureReason.INVALID_REQUEST, reason + " (HTTP " + status + ")", null);
  }
}
