package io.s2i.service.triggers.webhook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a webhook provider needs to know of the trigger and its build configuration: OpenShift's
 * {@code WebHookTrigger} ({@code secret}/{@code secretReference}, {@code allowEnv}) plus the
 * configuration's git ref.
 *
 * @param secrets the secrets a request may prove: more than one while a secret is being rotated;
 *     none means every request is refused
 * @param gitRef the configuration's {@code source.git.ref}; empty means OpenShift's default,
 *     {@code master}
 * @param gitSource whether the configuration builds from git; for a binary or Dockerfile source
 *     the generic hook builds whatever ref its payload names, as OpenShift does
 * @param allowEnv whether the generic payload's {@code env} is passed to the build (OpenShift's
 *     {@code allowEnv}; only the generic hook honours it)
 */
public record WebhookTrigger(List<WebhookSecret> secrets, Optional<String> gitRef, boolean gitSource,
    boolean allowEnv) {

  public WebhookTrigger {
    secrets = List.copyOf(Objects.requireNonNull(secrets, "secrets"));
    gitRef = Objects.requireNonNull(gitRef, "gitRef").filter(r -> !r.isBlank());
  }

  /** A trigger of a git configuration on {@code gitRef} (empty: {@code master}), env not allowed. */
  public static WebhookTrigger forGit(Optional<String> gitRef, WebhookSecret... secrets) {
    return new WebhookTrigger(List.of(secrets), gitRef, true, false);
  }

  /** This trigger with {@code allowEnv} set as given. */
  public WebhookTrigger withAllowEnv(boolean allow) {
    return new WebhookTrigger(secrets, gitRef, gitSource, allow);
  }

  /** The ref matcher for this trigger's configuration. */
  public RefMatcher refMatcher() {
    return RefMatcher.forConfigRef(gitRef);
  }
}
