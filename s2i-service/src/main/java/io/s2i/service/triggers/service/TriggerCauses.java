package io.s2i.service.triggers.service;

import io.s2i.service.model.BuildConfig.TriggerType;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.triggers.image.ImageChange;
import io.s2i.service.triggers.webhook.Provider;
import io.s2i.service.triggers.webhook.Revision;
import io.s2i.service.triggers.webhook.WebhookResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The causes the triggers record on the builds they start, as OpenShift's {@code triggeredBy}:
 * its messages ({@code GitHub WebHook}, {@code Image change}, {@code Build configuration change})
 * and the facts behind them. A webhook's cause names the provider, the delivery, the ref, the
 * commit with the one the ref pointed at before, its author and message; never the secret.
 */
public final class TriggerCauses {
  /** Detail: the provider that sent a webhook ({@code github}, {@code bitbucket-server}, ...). */
  public static final String PROVIDER = "provider";
  /** Detail: the sender's delivery id. */
  public static final String DELIVERY = "delivery";
  /** Detail: the pushed ref. */
  public static final String REF = "ref";
  /** Detail: the pushed commit. */
  public static final String COMMIT = "commit";
  /** Detail: the commit the ref pointed at before the push (orders pushes, see {@link CoalescingPolicy}). */
  public static final String BEFORE = "before";
  /** Detail: the commit's author. */
  public static final String AUTHOR = "author";
  /** Detail: the commit message's first line. */
  public static final String MESSAGE = "message";
  /** Detail: the image followed. */
  public static final String IMAGE = "image";
  /** Detail: the id the image had before. */
  public static final String OLD_IMAGE_ID = "oldImageId";
  /** Detail: the id it has now. */
  public static final String NEW_IMAGE_ID = "newImageId";
  /** Detail: what the configuration uses the image as: {@code builder}, {@code runtime} or {@code image}. */
  public static final String ROLE = "role";
  /** Detail: the reference the build was pinned to. */
  public static final String FROM_REF = "fromRef";

  private TriggerCauses() {}

  /** The cause of a build a verified webhook started. */
  public static TriggerCause webhook(WebhookResult.Build build) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put(PROVIDER, build.provider().id());
    build.deliveryId().ifPresent(d -> details.put(DELIVERY, d));
    build.revision().ifPresent(r -> {
      details.put(REF, r.ref());
      details.put(COMMIT, r.commit());
      r.previousCommit().ifPresent(p -> details.put(BEFORE, p));
      r.author().map(Revision.GitUser::display).filter(a -> !a.isEmpty()).ifPresent(a -> details.put(AUTHOR, clip(a)));
      r.message().map(TriggerCauses::firstLine).filter(m -> !m.isEmpty()).ifPresent(m -> details.put(MESSAGE, m));
    });
    return new TriggerCause(type(build.provider()).name(), build.provider().causeMessage(), details);
  }

  /** The trigger type of a provider's builds. */
  static TriggerType type(Provider provider) {
    return switch (provider) {
      case GITHUB -> TriggerType.GitHub;
      case GITLAB -> TriggerType.GitLab;
      case BITBUCKET_CLOUD, BITBUCKET_SERVER -> TriggerType.Bitbucket;
      case GENERIC -> TriggerType.Generic;
    };
  }

  /** The cause of a rebuild for a changed image. */
  public static TriggerCause imageChange(ImageChange change, Optional<String> oldId, String role, Optional<String> pinned) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put(IMAGE, change.image());
    details.put(ROLE, role);
    oldId.ifPresent(id -> details.put(OLD_IMAGE_ID, id));
    details.put(NEW_IMAGE_ID, change.newId());
    pinned.ifPresent(p -> details.put(FROM_REF, p));
    return new TriggerCause(TriggerType.ImageChange.name(), "Image change", details);
  }

  /** The cause of a build for a configuration created or changed. */
  public static TriggerCause configChange(boolean created) {
    return new TriggerCause(TriggerType.ConfigChange.name(), "Build configuration change",
        Map.of("change", created ? "created" : "changed"));
  }

  /** The pushed commit a cause names, for causes of pushes. */
  static Optional<String> pushedCommit(TriggerCause cause) {
    return Optional.ofNullable(cause.details().get(COMMIT));
  }

  static String firstLine(String text) {
    return clip(text.lines().findFirst().orElse("").strip());
  }

  private static String clip(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", " ");
    return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
  }
}
