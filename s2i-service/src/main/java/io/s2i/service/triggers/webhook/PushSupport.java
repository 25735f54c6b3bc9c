package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/** What the push handlers share: content-type checks, ref checks and git users from payloads. */
final class PushSupport {
  private PushSupport() {}

  /** The media type of a {@code Content-Type} value, lower case, without parameters. */
  static String mediaType(Headers headers) {
    String value = headers.first("Content-Type").orElse("");
    int semi = value.indexOf(';');
    return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** The refusal when the body is not declared as JSON; empty when it is. */
  static Optional<WebhookResult> requireJson(Headers headers, String fix) {
    String type = mediaType(headers);
    if (type.equals("application/json")) {
      return Optional.empty();
    }
    return Optional.of(new WebhookResult.BadRequest("Content-Type must be application/json, not "
        + (type.isEmpty() ? "none" : Json.oneLine(type)) + ": " + fix));
  }

  /** A request refused after verification; {@link #result()} is the answer. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient WebhookResult result;

    Refused(WebhookResult result) {
      super(result.message(), null, false, false);
      this.result = result;
    }

    WebhookResult result() {
      return result;
    }
  }

  /**
   * The body as a JSON object, once its {@code Content-Type} says JSON.
   *
   * @param fix what the sender's owner should change when the body is not declared as JSON
   * @throws Refused with a 400 answer otherwise
   */
  static JsonNode readJson(WebhookRequest request, String fix) throws Refused {
    Optional<WebhookResult> notJson = requireJson(request.headers(), fix);
    if (notJson.isPresent()) {
      throw new Refused(notJson.get());
    }
    try {
      return Json.parseJson(request.body());
    } catch (Json.MalformedPayload e) {
      throw new Refused(new WebhookResult.BadRequest(e.getMessage()));
    }
  }

  /** The refusal for a missing or malformed ref; empty when it is a valid ref. */
  static Optional<WebhookResult> checkRef(Optional<String> ref) {
    if (ref.isEmpty()) {
      return Optional.of(new WebhookResult.BadRequest("the payload names no ref"));
    }
    if (!RefMatcher.isValidRef(ref.get())) {
      return Optional.of(new WebhookResult.BadRequest("the payload's ref is not a valid git ref name"));
    }
    return Optional.empty();
  }

  /**
   * The pushed ref, once it is valid and the configuration's.
   *
   * @throws Refused with a 400 answer for a missing or malformed ref, a skip for another ref
   */
  static String configuredRef(Optional<String> ref, RefMatcher matcher) throws Refused {
    Optional<WebhookResult> bad = checkRef(ref);
    if (bad.isPresent()) {
      throw new Refused(bad.get());
    }
    if (!matcher.matches(ref.get())) {
      throw new Refused(new WebhookResult.Skip(matcher.skipReason(ref.get())));
    }
    return ref.get();
  }

  /** A git user from {@code {"name": ..., "email": ...}}; empty when both are absent. */
  static Optional<Revision.GitUser> user(JsonNode node) {
    Optional<String> name = Json.text(node, "name");
    Optional<String> email = Json.text(node, "email");
    if (name.isEmpty() && email.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Revision.GitUser(name.orElse(""), email.orElse("")));
  }

  /** A git user from git's {@code Name <email>} form (Bitbucket's {@code raw}). */
  static Optional<Revision.GitUser> parseRaw(String raw) {
    String text = raw.trim();
    int lt = text.lastIndexOf('<');
    int gt = text.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      return Optional.of(new Revision.GitUser(text.substring(0, lt).trim(), text.substring(lt + 1, gt).trim()));
    }
    return text.isEmpty() ? Optional.empty() : Optional.of(new Revision.GitUser(text, ""));
  }

  /**
   * The delivery id from the first of {@code headers} present: printable, at most 128 characters
   * (longer ones are cut), so that it fits a log line and a database column.
   */
  static Optional<String> deliveryId(Headers headers, String... names) {
    for (String name : names) {
      Optional<String> value = headers.first(name)
          .map(v -> v.replaceAll("[^\\x21-\\x7e]", ""))
          .map(v -> v.length() > 128 ? v.substring(0, 128) : v)
          .filter(v -> !v.isEmpty());
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  /** The skip for a push of several refs, none of them the configured one. */
  static WebhookResult.Skip noneMatches(RefMatcher matcher, java.util.List<String> refs) {
    if (refs.size() == 1) {
      return new WebhookResult.Skip(matcher.skipReason(refs.get(0)));
    }
    return new WebhookResult.Skip("the push changed " + String.join(", ", refs.subList(0, Math.min(5, refs.size())))
        + (refs.size() > 5 ? " and " + (refs.size() - 5) + " more" : "")
        + "; none of them builds this configuration, which builds " + matcher.describeConfigRef());
  }

  /** The skip for a push that deleted the configured ref. */
  static WebhookResult.Skip deleted(String ref) {
    String what = RefMatcher.isTag(ref) ? "tag " + ref.substring("refs/tags/".length())
        : ref.startsWith("refs/heads/") ? "branch " + ref.substring("refs/heads/".length()) : ref;
    return new WebhookResult.Skip("the push deleted " + what + "; there is nothing to build");
  }
}
