package io.s2i.service.triggers.service;

import io.s2i.api.EnvVar;
import io.s2i.service.BuildService;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildConfig.TriggerType;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.RunPolicy;
import io.s2i.service.store.JdbcBuildStore;
import io.s2i.service.triggers.PushCoalescer;
import io.s2i.service.triggers.webhook.Headers;
import io.s2i.service.triggers.webhook.Revision;
import io.s2i.service.triggers.webhook.WebhookBodyLimit;
import io.s2i.service.triggers.webhook.WebhookReceiver;
import io.s2i.service.triggers.webhook.WebhookRequest;
import io.s2i.service.triggers.webhook.WebhookResult;
import io.s2i.service.triggers.webhook.WebhookRoute;
import io.s2i.service.triggers.webhook.WebhookSecret;
import io.s2i.service.triggers.webhook.WebhookTrigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a webhook request does once its body is read: find the configuration and its triggers of
 * the URL's type, verify and read the request ({@link WebhookReceiver}, with the replay log), and
 * queue a build of the pushed commit with its cause, or answer why nothing was built. Under
 * {@code SerialLatestOnly} each push is first put to the {@link PushCoalescer}.
 */
public final class WebhookService {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
  private final BuildService service;
  private final JdbcBuildStore store;
  private final WebhookReceiver receiver;
  private final JdbcDeliveryLog deliveries;
  private final PushCoalescer coalescer;
  private final DeliveryHistory history;
  private final Map<String, Object> admissionLocks = new ConcurrentHashMap<>();
  private static final List<String> DELIVERY_HEADERS = List.of("X-GitHub-Delivery", "Idempotency-Key",
      "X-Gitlab-Event-UUID", "X-Request-UUID", "X-Request-Id");
  private static final List<String> EVENT_HEADERS = List.of("X-GitHub-Event", "X-Gitlab-Event", "X-Event-Key");

  /** The service's webhooks. */
  public WebhookService(BuildService service, JdbcBuildStore store, JdbcDeliveryLog deliveries,
      DeliveryHistory history, PushCoalescer coalescer, WebhookBodyLimit limit) {
    this.service = service;
    this.history = history;
    this.store = store;
    this.deliveries = deliveries;
    this.coalescer = coalescer;
    this.receiver = new WebhookReceiver(deliveries, limit);
  }

  /** The body limit requests are read with. */
  public WebhookBodyLimit limit() {
    return receiver.limit();
  }

  /**
   * The answer to a webhook request: a status and a JSON body ({@code error} for 4xx, else
   * {@code message}, with {@code build} when one was queued). Never holds a secret.
   */
  public record Answer(int status, Map<String, Object> body) {
    static Answer error(int status, String reason) {
      return new Answer(status, Map.of("error", reason));
    }

    static Answer ok(String message, Optional<Build> build) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("message", message);
      build.ifPresent(b -> body.put("build", b));
      return new Answer(200, body);
    }
  }

  /** Whether this server answers webhooks of {@code urlType}. */
  public boolean knows(String urlType) {
    return receiver.provider(urlType).isPresent();
  }

  /**
   * Handles a request whose path parsed as {@code route} and whose body was read within the limit.
   *
   * @throws InvalidInputException when the build cannot be queued (the configuration builds from
   *     binary input, or was deleted meanwhile)
   */
  public Answer receive(WebhookRoute route, Headers headers, byte[] body) {
    if (!knows(route.type())) {
      return Answer.error(404, "unknown webhook type \"" + printable(route.type()) + "\": use one of "
          + String.join(", ", receiver.urlTypes()));
    }
    // Like OpenShift, the same 401 whether the configuration or its trigger is missing or the
    // secret is wrong, so that a caller without the secret learns nothing about configurations.
    String refused = "the webhook " + route.type() + " for \"" + printable(route.configuration())
        + "\" did not accept your secret";
    Optional<BuildConfig> found = route.configuration().length() > 63 ? Optional.empty()
        : store.config(route.configuration());
    if (found.isEmpty()) {
      return Answer.error(401, refused);
    }
    BuildConfig config = found.get();
    TriggerType type = TriggerType.valueOf(typeName(route.type()));
    List<BuildConfig.Trigger> triggers = config.triggers() == null ? List.of()
        : config.triggers().stream().filter(t -> t.type() == type && t.secret() != null).toList();
    if (triggers.isEmpty()) {
      return Answer.error(401, refused);
    }
    Instant received = Instant.now();
    WebhookResult result = receiver.receive(config.name(), route.type(),
        new WebhookRequest(headers, body, route.secret()), trigger(config, triggers, route.secret()));
    if (!(result instanceof WebhookResult.Build build)) {
      LOG.info("webhook {} for {}: {} {}", route.type(), config.name(), result.httpStatus(), result.message());
      Answer answer = result.httpStatus() == 200 ? Answer.ok(result.message(), Optional.empty())
          : Answer.error(result.httpStatus(), result.message());
      if (proved(result)) {
        record(config.name(), route, headers, body, received, result, answer);
      }
      return answer;
    }
    Answer answer;
    try {
      answer = start(config, build);
    } catch (RuntimeException e) {
      build.deliveryId().ifPresent(d -> deliveries.forget(config.name(), build.provider().id(), d));
      if (e instanceof InvalidInputException notQueued) {
        record(config.name(), route, headers, body, received, result,
            Answer.error(notQueued.status(), notQueued.getMessage()));
      }
      throw e;
    }
    record(config.name(), route, headers, body, received, result, answer);
    return answer;
  }

  /** Whether the request proved the secret (only those are kept in the history). */
  private static boolean proved(WebhookResult result) {
    return !(result instanceof WebhookResult.Unauthorized) && !(result instanceof WebhookResult.TooLarge);
  }

  private void record(String configName, WebhookRoute route, Headers headers, byte[] body, Instant received,
      WebhookResult result, Answer answer) {
    Optional<String> deliveryId = result instanceof WebhookResult.Build b ? b.deliveryId()
        : result instanceof WebhookResult.Ping p ? p.deliveryId() : Optional.empty();
    if (deliveryId.isEmpty()) {
      deliveryId = firstHeader(headers, DELIVERY_HEADERS);
    }
    String commit = result instanceof WebhookResult.Build b ? b.revision().map(Revision::commit).orElse(null) : null;
    String buildName = answer.body().get("build") instanceof Build b ? b.name() : null;
    Object message = answer.body().containsKey("error") ? answer.body().get("error") : answer.body().get("message");
    try {
      history.record(configName, new DeliveryHistory.Delivery(received, route.type(),
          firstHeader(headers, EVENT_HEADERS).orElse(null), deliveryId.orElse(null), answer.status(),
          String.valueOf(message), buildName, commit, body.length));
    } catch (RuntimeException e) {
      LOG.warn("webhook {} for {}: the delivery was not recorded: {}", route.type(), configName, e.getMessage());
    }
  }

  private static Optional<String> firstHeader(Headers headers, List<String> names) {
    for (String name : names) {
      Optional<String> value = headers.first(name).map(v -> v.replaceAll("[^\\x21-\\x7e]", "")).filter(v -> !v.isEmpty());
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  /** The deliveries kept for a configuration, newest first. */
  public List<DeliveryHistory.Delivery> deliveries(String configName, int limit) {
    return history.list(configName, limit);
  }

  /**
   * The trigger as the provider checks it: every secret of the configuration's triggers of this
   * type (two triggers of one type are how a secret is rotated: add the new one, move the sender,
   * remove the old one). {@code allowEnv} is the generic trigger's whose secret the URL holds.
   */
  private static WebhookTrigger trigger(BuildConfig config, List<BuildConfig.Trigger> triggers, Optional<String> urlSecret) {
    List<WebhookSecret> secrets = triggers.stream().map(t -> WebhookSecret.of(t.secret())).toList();
    boolean allowEnv = false;
    if (urlSecret.isPresent()) {
      for (int i = 0; i < triggers.size(); i++) {
        if (secrets.get(i).matches(urlSecret.get()) && Boolean.TRUE.equals(triggers.get(i).allowEnv())) {
          allowEnv = true;
        }
      }
    }
    boolean git = config.source().type() == BuildConfig.SourceType.Git;
    return new WebhookTrigger(secrets, git ? Optional.ofNullable(config.source().git().ref()) : Optional.empty(),
        git, allowEnv);
  }

  private Answer start(BuildConfig config, WebhookResult.Build build) {
    List<EnvEntry> env = new ArrayList<>();
    for (EnvVar e : build.env()) {
      env.add(new EnvEntry(e.name(), e.value(), false));
    }
    Optional<Revision> revision = build.revision();
    BuildOptions options = new BuildOptions(env, revision.map(Revision::commit).orElse(null), null, null, null);
    if (config.effectiveRunPolicy() != RunPolicy.SerialLatestOnly) {
      return queued(config, build, options);
    }
    // One admission at a time per configuration on this server; the queue settles the rest.
    synchronized (admissionLocks.computeIfAbsent(config.name(), k -> new Object())) {
      PushCoalescer.Admission admission = coalescer.admit(config.name(), revision, active(config.name()));
      if (admission instanceof PushCoalescer.Admission.Drop drop) {
        LOG.info("webhook {} for {}: skipped: {}", build.provider().id(), config.name(), drop.reason());
        return Answer.ok("skipped: " + drop.reason(), Optional.empty());
      }
      for (String superseded : ((PushCoalescer.Admission.Enqueue) admission).cancel()) {
        store.cancelIfQueued(superseded, "a newer push was queued (run policy SerialLatestOnly)");
      }
      return queued(config, build, options);
    }
  }

  private Answer queued(BuildConfig config, WebhookResult.Build build, BuildOptions options) {
    Build b = service.start(config.name(), options, TriggerCauses.webhook(build), null);
    LOG.info("webhook {} for {}: {} as build {}", build.provider().id(), config.name(), build.message(), b.name());
    return Answer.ok(build.message() + " as build " + b.name(), Optional.of(b));
  }

  private List<PushCoalescer.ActiveBuild> active(String configName) {
    List<PushCoalescer.ActiveBuild> active = new ArrayList<>();
    for (Build b : store.builds(Optional.of(configName), 1000)) {
      if (!b.phase().isTerminal()) {
        Optional<String> commit = b.options() == null ? Optional.empty() : Optional.ofNullable(b.options().commit());
        active.add(new PushCoalescer.ActiveBuild(b.name(), commit, b.phase() != io.s2i.service.model.BuildPhase.New));
      }
    }
    java.util.Collections.reverse(active); // oldest first, the order they were triggered in
    return active;
  }

  /** Forgets what the coalescer and the replay log know of a deleted configuration. */
  void forget(String configName) {
    coalescer.forget(configName);
    deliveries.forgetConfiguration(configName);
    history.forgetConfiguration(configName);
    admissionLocks.remove(configName);
  }

  private static String typeName(String urlType) {
    return switch (urlType) {
      case "github" -> "GitHub";
      case "gitlab" -> "GitLab";
      case "bitbucket" -> "Bitbucket";
      default -> urlType.substring(0, 1).toUpperCase(Locale.ROOT) + urlType.substring(1);
    };
  }

  private static String printable(String text) {
    String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 63 ? clean.substring(0, 63) + "..." : clean;
  }
}
