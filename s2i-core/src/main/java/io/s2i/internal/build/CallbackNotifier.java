package io.s2i.internal.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.EventSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * POSTs upstream's callback body when a build ends: {@code {"labels":{...},"success":true}} or
 * {@code {"success":false}}. Transport errors are retried up to three times with the same body
 * (upstream retries with an empty one). The callback never changes the build's outcome.
 */
public final class CallbackNotifier {
  private static final int ATTEMPTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventSink events;

  public CallbackNotifier(EventSink events) {
    this.events = events;
  }

  /** The JSON body for a result; keys sorted as upstream. */
  public static String body(boolean success, Optional<Map<String, String>> labels) {
    ObjectNode root = JSON.createObjectNode();
    labels.ifPresent(l -> root.set("labels", JSON.valueToTree(new TreeMap<>(l))));
    root.put("success", success);
    return root.toString() + "\n";
  }

  /**
   * What went wrong, in words: the JDK's client often gives no message at all (a refused
   * connection is a {@code ConnectException} whose message is null).
   */
  static String reason(IOException e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
      String known = t instanceof java.net.http.HttpConnectTimeoutException ? "the connection timed out"
          : t instanceof java.net.http.HttpTimeoutException ? "no answer in time"
          : t instanceof java.net.ConnectException ? "the connection was refused"
          : t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException
              ? "the host name is unknown" : null;
      if (known != null) {
        return known + (message == null ? "" : " (" + message + ")");
      }
    }
    return message != null ? message : e.getClass().getSimpleName();
  }

  /** Sends the result; reports problems as events. */
  public void notify(URI url, boolean success, Optional<Map<String, String>> labels) {
    String body = body(success, labels);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() >= 300) {
          events.warn("Callback returned with error code: " + response.statusCode());
        }
        return;
      } catch (IOException e) {
        events.warn("Unable to invoke callback " + url + " (attempt " + attempt + " of " + ATTEMPTS + "): "
            + reason(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
