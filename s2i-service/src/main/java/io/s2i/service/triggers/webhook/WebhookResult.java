package io.s2i.service.triggers.webhook;

import io.s2i.api.EnvVar;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a webhook request asks for, once verified. The HTTP layer answers {@link #httpStatus()}
 * with {@link #message()} as the one-line reason; only {@link Build} starts a build. No variant
 * ever holds a secret.
 */
public sealed interface WebhookResult {

  /** The HTTP status to answer with. */
  int httpStatus();

  /** A one-line message for the answer and the server log. */
  String message();

  /**
   * Build the configuration.
   *
   * @param revision what to build; empty when the (generic) payload named no revision: build the
   *     configuration's ref as it is now, as OpenShift does
   * @param provider who sent it
   * @param deliveryId the sender's id of this delivery, for replay protection and the build record
   * @param env environment for the build from a generic payload whose trigger allows it; else empty
   * @param warning a note for the answer, such as an ignored payload or ignored {@code env}
   */
  record Build(Optional<Revision> revision, Provider provider, Optional<String> deliveryId,
      List<EnvVar> env, Optional<String> warning) implements WebhookResult {
    public Build {
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(deliveryId, "deliveryId");
      env = List.copyOf(env);
      Objects.requireNonNull(warning, "warning");
    }

    @Override
    public int httpStatus() {
      return 200;
    }

    @Override
    public String message() {
      String what = revision.map(r -> "commit " + r.commit() + " of " + r.ref())
          .orElse("the configured ref");
      return provider.causeMessage() + ": building " + what + warning.map(w -> " (" + w + ")").orElse("");
    }
  }

  /**
   * The sender checks the hook (GitHub's {@code ping}, Bitbucket Server's {@code diagnostics:ping}):
   * answer 200, build nothing.
   *
   * @param provider who sent it
   * @param deliveryId the sender's id of this delivery
   */
  record Ping(Provider provider, Optional<String> deliveryId) implements WebhookResult {
    @Override
    public int httpStatus() {
      return 200;
    }

    @Override
    public String message() {
      return provider.causeMessage() + ": ping received; the hook and its secret are valid";
    }
  }

  /**
   * A valid request that builds nothing (another branch, a tag, a deleted branch, another event,
   * a replayed delivery). Answered 200, as OpenShift does, so that the sender does not retry.
   *
   * @param reason why nothing is built
   */
  record Skip(String reason) implements WebhookResult {
    @Override
    public int httpStatus() {
      return 200;
    }

    @Override
    public String message() {
      return "skipped: " + reason;
    }
  }

  /**
   * The request does not prove the secret: wrong or missing signature, token or URL secret.
   *
   * @param reason what was wrong (never the secret nor the expected signature)
   */
  record Unauthorized(String reason) implements WebhookResult {
    @Override
    public int httpStatus() {
      return 401;
    }

    @Override
    public String message() {
      return reason;
    }
  }

  /**
   * A verified request that cannot be understood: missing event header, malformed payload, a
   * commit id that is not one.
   *
   * @param reason what was wrong
   */
  record BadRequest(String reason) implements WebhookResult {
    @Override
    public int httpStatus() {
      return 400;
    }

    @Override
    public String message() {
      return reason;
    }
  }

  /**
   * The body is over {@link WebhookBodyLimit}; nothing was read past the limit.
   *
   * @param reason the limit and how to raise it
   */
  record TooLarge(String reason) implements WebhookResult {
    @Override
    public int httpStatus() {
      return 413;
    }

    @Override
    public String message() {
      return reason;
    }
  }
}
