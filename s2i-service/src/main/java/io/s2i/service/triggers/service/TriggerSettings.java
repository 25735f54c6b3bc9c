package io.s2i.service.triggers.service;

import io.s2i.engine.ImageStore;
import io.s2i.service.triggers.image.ImageResolver;
import io.s2i.service.triggers.image.RegistryDigestResolver;
import io.s2i.service.triggers.webhook.InMemoryDeliveryLog;
import io.s2i.service.triggers.webhook.WebhookBodyLimit;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the service's triggers run.
 *
 * @param imageCheckInterval how often every followed image is checked; zero turns off the
 *     automatic checks (also the baseline check made when a configuration starts following an
 *     image), leaving only {@code POST /api/v1/imagechange}
 * @param webhookMaxBodyBytes the largest webhook body read (413 past it)
 * @param deliveryTtl how long a webhook delivery id is remembered against replays
 * @param engineImages the engine's images, for images named under {@code localhost/}; empty when
 *     the server has no engine (they cannot be checked)
 * @param registryCredentials credentials for registry checks ({@code host[:port]} to credentials)
 * @param resolver a resolver to use instead of the engine and registry ones (tests)
 */
public record TriggerSettings(Duration imageCheckInterval, int webhookMaxBodyBytes, Duration deliveryTtl,
    Optional<ImageStore> engineImages, RegistryDigestResolver.CredentialSource registryCredentials,
    Optional<ImageResolver> resolver) {

  public TriggerSettings {
    Objects.requireNonNull(imageCheckInterval, "imageCheckInterval");
    if (imageCheckInterval.isNegative()) {
      throw new IllegalArgumentException("the image check interval must not be negative");
    }
    if (webhookMaxBodyBytes <= 0) {
      throw new IllegalArgumentException("the webhook body limit must be positive");
    }
    if (deliveryTtl.isNegative() || deliveryTtl.isZero()) {
      throw new IllegalArgumentException("the delivery time to live must be positive");
    }
    Objects.requireNonNull(engineImages, "engineImages");
    Objects.requireNonNull(registryCredentials, "registryCredentials");
    Objects.requireNonNull(resolver, "resolver");
  }

  /** The default interval of {@code s2i serve}'s image checks. */
  public static final Duration DEFAULT_IMAGE_CHECK_INTERVAL = Duration.ofMinutes(5);

  /**
   * No automatic image checks, no engine, anonymous registry access, the default body limit and
   * delivery time to live: what a server started without trigger settings (tests) gets, so that
   * nothing reaches out to a registry unless asked.
   */
  public static TriggerSettings defaults() {
    return new TriggerSettings(Duration.ZERO, WebhookBodyLimit.DEFAULT_MAX_BYTES, InMemoryDeliveryLog.DEFAULT_TTL,
        Optional.empty(), registry -> Optional.empty(), Optional.empty());
  }

  /** These settings with automatic checks every {@code interval} (zero: none). */
  public TriggerSettings withImageCheckInterval(Duration interval) {
    return new TriggerSettings(interval, webhookMaxBodyBytes, deliveryTtl, engineImages, registryCredentials, resolver);
  }

  /** These settings with this webhook body limit. */
  public TriggerSettings withWebhookMaxBody(int bytes) {
    return new TriggerSettings(imageCheckInterval, bytes, deliveryTtl, engineImages, registryCredentials, resolver);
  }

  /** These settings with this delivery time to live. */
  public TriggerSettings withDeliveryTtl(Duration ttl) {
    return new TriggerSettings(imageCheckInterval, webhookMaxBodyBytes, ttl, engineImages, registryCredentials, resolver);
  }

  /** These settings with the engine's images. */
  public TriggerSettings withEngineImages(ImageStore images) {
    return new TriggerSettings(imageCheckInterval, webhookMaxBodyBytes, deliveryTtl, Optional.of(images),
        registryCredentials, resolver);
  }

  /** These settings with registry credentials. */
  public TriggerSettings withRegistryCredentials(RegistryDigestResolver.CredentialSource credentials) {
    return new TriggerSettings(imageCheckInterval, webhookMaxBodyBytes, deliveryTtl, engineImages, credentials, resolver);
  }

  /** These settings with a resolver replacing the engine and registry ones. */
  public TriggerSettings withResolver(ImageResolver custom) {
    return new TriggerSettings(imageCheckInterval, webhookMaxBodyBytes, deliveryTtl, engineImages, registryCredentials,
        Optional.of(custom));
  }
}
