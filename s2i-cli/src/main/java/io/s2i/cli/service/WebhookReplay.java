package io.s2i.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.triggers.webhook.WebhookRoute;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * {@code s2i start-build --from-webhook URL}, as {@code oc start-build --from-webhook} does it: a
 * POST of OpenShift's generic webhook payload to a generic webhook URL (whose last segment is the
 * secret), with no body, or with {@code git.refs[]} made from a git {@code post-receive} hook's
 * input ({@code OLD NEW REF} lines) and the commits' authors and messages read from the
 * repository. The API token is not sent: the URL proves the secret, and it may name another server.
 */
final class WebhookReplay {
  private static final String ZERO = "0000000000000000000000000000000000000000";

  private WebhookReplay() {}

  /** What the server answered. */
  record Answer(int status, JsonNode body) {}

  /**
   * Checks that {@code url} is a generic webhook URL this command can replay.
   *
   * @throws S2iException with the fix otherwise
   */
  static URI check(String url) throws S2iException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw usage("--from-webhook " + url + " is not a URL", "give the generic webhook URL s2i describe --show-secrets prints");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw usage("--from-webhook needs an http:// or https:// URL", "give the generic webhook URL s2i describe --show-secrets prints");
    }
    Optional<WebhookRoute> route = WebhookRoute.parse(uri.getRawPath());
    if (route.isEmpty()) {
      throw usage("--from-webhook: the URL is not a webhook URL (…/api/v1/webhooks/CONFIG/generic/SECRET)",
          "copy the generic webhook URL from s2i describe CONFIG --show-secrets");
    }
    if (!route.get().type().equals("generic") || route.get().secret().isEmpty()) {
      throw usage("--from-webhook replays generic webhooks only: a " + route.get().type() + " hook proves its secret"
          + " with a signature its sender makes of its own payload",
          "add a Generic trigger and use its URL, or redeliver the push from " + route.get().type());
    }
    return uri;
  }

  /**
   * The generic payload for a post-receive hook's input: one {@code git.refs[]} entry per updated
   * ref (deleted refs are left out), with each new commit's author, committer and message.
   */
  static byte[] payload(List<String> postReceive, Path repository) throws S2iException {
    ObjectNode event = ServiceJson.json().createObjectNode();
    event.put("type", "Git");
    ArrayNode refs = event.putObject("git").putArray("refs");
    try (Repository repo = new FileRepositoryBuilder().findGitDir(repository.toFile()).setMustExist(true).build();
         RevWalk walk = new RevWalk(repo)) {
      for (String line : postReceive) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 3) {
          throw usage("--git-post-receive: \"" + line.strip() + "\" is not an OLD NEW REF line", 
              "pass what git gives a post-receive hook on its standard input");
        }
        if (parts[1].equals(ZERO) || parts[1].equals(parts[0])) {
          continue;
        }
        ObjectNode ref = refs.addObject();
        ref.put("ref", parts[2]);
        ref.put("commit", parts[1]);
        RevCommit commit = walk.parseCommit(ObjectId.fromString(parts[1]));
        person(ref.putObject("author"), commit.getAuthorIdent());
        person(ref.putObject("committer"), commit.getCommitterIdent());
        ref.put("message", commit.getFullMessage().strip());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw usage("--git-repository " + repository + ": " + e.getMessage(),
          "point --git-repository at the repository the post-receive input is from");
    }
    return ServiceJson.write(event).getBytes(StandardCharsets.UTF_8);
  }

  private static void person(ObjectNode node, PersonIdent who) {
    node.put("name", who.getName());
    node.put("email", who.getEmailAddress());
  }

  /** POSTs the payload ({@code null}: no body) to the webhook URL. */
  static Answer post(URI url, byte[] payload) throws S2iException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2))
        .header("Content-Type", "application/json")
        .POST(payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload));
    try {
      HttpResponse<String> resp = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = ServiceJson.json().readTree(resp.body());
      } catch (IOException e) {
        body = ServiceJson.json().createObjectNode().put("error", resp.body());
      }
      return new Answer(resp.statusCode(), body == null ? ServiceJson.json().createObjectNode() : body);
    } catch (IOException e) {
      throw new S2iException(FailureReason.GENERIC, "cannot reach the webhook at " + url.getHost() + ":" + url.getPort()
          + ": " + e.getMessage(), "check the URL and that the server runs");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new S2iException(FailureReason.INTERRUPTED, "interrupted", null, e);
    }
  }

  private static S2iException usage(String message, String fix) {
    return new S2iException(FailureReason.INVALID_REQUEST, message, fix);
  }
}
