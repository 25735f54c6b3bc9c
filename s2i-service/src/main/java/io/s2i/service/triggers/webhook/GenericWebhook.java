package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.api.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenShift's generic webhook: any sender that knows the secret in the URL (compared in constant
 * time) may start a build, with no body, or with OpenShift's {@code GenericWebHookEvent} as JSON
 * ({@code application/json}) or YAML ({@code application/yaml}):
 * {@code {type: Git, git: {uri, ref, commit, author, committer, message, refs[]}, env[]}}.
 *
 * <p>As in OpenShift: a body of another content type is ignored and the configured ref is built
 * (with a warning); {@code git.refs[]} builds its first entry that matches; a payload without git
 * information builds the configured ref; {@code env} is passed only when the trigger allows it
 * ({@code allowEnv}). Unlike OpenShift, a body that claims JSON or YAML and is not is refused (400)
 * rather than ignored, and an {@code env} that is not allowed is reported in the warning.
 */
public final class GenericWebhook implements WebhookProvider {

  @Override
  public String urlType() {
    return "generic";
  }

  @Override
  public WebhookResult handle(WebhookRequest request, WebhookTrigger trigger) {
    Optional<WebhookResult.Unauthorized> refused = SecretProof.first(
        () -> SecretProof.requireConfigured(trigger, Provider.GENERIC),
        () -> SecretProof.urlSecret(request, trigger, true));
    if (refused.isPresent()) {
      return refused.get();
    }
    // Not a sender's protocol: a CI job may name its run so that a retried call does not build twice.
    Optional<String> delivery = PushSupport.deliveryId(request.headers(), "Idempotency-Key", "X-Request-Id");
    if (request.body().length == 0) {
      return build(Optional.empty(), delivery, List.of(), List.of());
    }
    String type = PushSupport.mediaType(request.headers());
    JsonNode event;
    try {
      if (type.equals("application/json")) {
        event = Json.parseJson(request.body());
      } else if (type.equals("application/yaml") || type.equals("application/x-yaml") || type.equals("text/yaml")) {
        event = Json.parseYaml(request.body());
      } else {
        return build(Optional.empty(), delivery, List.of(), List.of("the payload was ignored: its Content-Type "
            + (type.isEmpty() ? "is not set" : "is " + Json.oneLine(type)) + ", not application/json or application/yaml"));
      }
    } catch (Json.MalformedPayload e) {
      return new WebhookResult.BadRequest(e.getMessage());
    }
    List<String> warnings = new ArrayList<>();
    List<EnvVar> env = new ArrayList<>();
    JsonNode envNode = event.path("env");
    if (!envNode.isMissingNode() && !envNode.isNull()) {
      if (!envNode.isArray()) {
        return new WebhookResult.BadRequest("env must be a list of {name, value}");
      }
      for (JsonNode entry : envNode) {
        Optional<String> name = Json.text(entry, "name");
        if (name.isEmpty() || name.get().contains("=") || name.get().chars().anyMatch(Character::isISOControl)) {
          return new WebhookResult.BadRequest("env entries need a name without '=' or control characters");
        }
        env.add(new EnvVar(name.get(), entry.path("value").isValueNode() ? entry.path("value").asText() : ""));
      }
      if (!env.isEmpty() && !trigger.allowEnv()) {
        warnings.add("env was ignored: the trigger does not allow it (allowEnv)");
        env.clear();
      }
    }
    if (!trigger.gitSource()) {
      return build(Optional.empty(), delivery, env, warnings);
    }
    JsonNode git = event.path("git");
    if (!git.isObject()) {
      warnings.add("the payload has no git information; the configured ref is built");
      return build(Optional.empty(), delivery, env, warnings);
    }
    RefMatcher matcher = trigger.refMatcher();
    JsonNode refs = git.path("refs");
    if (refs.isArray() && !refs.isEmpty()) {
      for (JsonNode entry : refs) {
        Optional<String> ref = Json.text(entry, "ref");
        if (ref.isPresent() && matcher.matches(ref.get())) {
          return revision(entry, git, ref.get(), delivery, env, warnings);
        }
      }
      return new WebhookResult.Skip("none of the payload's git.refs is this configuration's "
          + matcher.describeConfigRef());
    }
    Optional<String> ref = Json.text(git, "ref");
    if (ref.isEmpty()) {
      return new WebhookResult.Skip("the payload's git.ref is empty, so it does not match this configuration's "
          + matcher.describeConfigRef() + " (OpenShift skips it too): add git.ref, or send no git information");
    }
    if (!RefMatcher.isValidRef(ref.get())) {
      return new WebhookResult.BadRequest("the payload's git.ref is not a valid git ref name");
    }
    if (!matcher.matches(ref.get())) {
      return new WebhookResult.Skip(matcher.skipReason(ref.get()));
    }
    return revision(git, git, ref.get(), delivery, env, warnings);
  }

  private static WebhookResult revision(JsonNode source, JsonNode git, String ref, Optional<String> delivery,
      List<EnvVar> env, List<String> warnings) {
    if (!RefMatcher.isValidRef(ref)) {
      return new WebhookResult.BadRequest("the payload's ref is not a valid git ref name");
    }
    Optional<String> commitText = Json.text(source, "commit");
    if (commitText.isEmpty()) {
      warnings.add("the payload names no commit; the head of " + ref + " is built");
      return build(Optional.empty(), delivery, env, warnings);
    }
    Optional<String> commit = CommitId.fullOrAbbreviated(commitText.get());
    if (commit.isEmpty()) {
      return new WebhookResult.BadRequest("the payload's commit is not a commit id (7 to 64 hex digits)");
    }
    Revision revision = new Revision(
        Json.text(git, "uri"),
        ref,
        commit.get(),
        Optional.empty(),
        PushSupport.user(source.path("author")),
        PushSupport.user(source.path("committer")),
        Json.text(source, "message"));
    return build(Optional.of(revision), delivery, env, warnings);
  }

  private static WebhookResult build(Optional<Revision> revision, Optional<String> delivery, List<EnvVar> env,
      List<String> warnings) {
    return new WebhookResult.Build(revision, Provider.GENERIC, delivery, env,
        warnings.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", warnings)));
  }
}
