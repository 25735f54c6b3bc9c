package io.s2i.service.triggers.service;

import io.s2i.service.BuildService;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildConfig.TriggerType;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.store.BuildStore;
import io.s2i.service.store.JdbcBuildStore;
import io.s2i.service.triggers.PushCoalescer;
import io.s2i.service.triggers.image.EngineImageResolver;
import io.s2i.service.triggers.image.ImageResolutionException;
import io.s2i.service.triggers.image.ImageResolver;
import io.s2i.service.triggers.image.RegistryDigestResolver;
import io.s2i.service.triggers.image.RoutingImageResolver;
import io.s2i.service.triggers.webhook.WebhookBodyLimit;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's build triggers, started with the server: verified webhooks with their replay log
 * and push coalescing, image-change rebuilds, and the ConfigChange trigger. It listens to the
 * service's configuration changes, so a new or changed configuration is followed at once.
 */
public final class Triggers implements BuildService.ConfigListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);
  private final BuildService service;
  private final WebhookService webhooks;
  private final ImageTriggers images;
  private final JdbcDeliveryLog deliveries;
  private final DeliveryHistory history;
  private final ScheduledExecutorService housekeeping;

  private Triggers(BuildService service, WebhookService webhooks, ImageTriggers images, JdbcDeliveryLog deliveries,
      DeliveryHistory history) {
    this.history = history;
    this.service = service;
    this.webhooks = webhooks;
    this.images = images;
    this.deliveries = deliveries;
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "s2i-trigger-housekeeping");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts the triggers of a server: installs the push-ordering run policy in the store, follows
   * the images the stored configurations name, and prunes the replay log now and every hour.
   */
  public static Triggers start(DataSource db, JdbcBuildStore store, BuildService service, TriggerSettings settings,
      Clock clock) {
    JdbcDeliveryLog deliveries = new JdbcDeliveryLog(db, settings.deliveryTtl(), clock);
    PushCoalescer coalescer = new PushCoalescer();
    store.latestOnlyPolicy(new CoalescingPolicy(coalescer));
    DeliveryHistory history = new DeliveryHistory(db, settings.deliveryTtl(), clock);
    WebhookService webhooks = new WebhookService(service, store, deliveries, history, coalescer,
        new WebhookBodyLimit(settings.webhookMaxBodyBytes()));
    ImageResolver resolver = settings.resolver().orElseGet(() -> new RoutingImageResolver(
        settings.engineImages().<ImageResolver>map(EngineImageResolver::new).orElse(Triggers::noEngine),
        RegistryDigestResolver.builder().credentials(settings.registryCredentials()).build()));
    ImageTriggers images = new ImageTriggers(service, store, new ImageTriggerStore(db, clock), resolver,
        RoutingImageResolver::isLocalName, settings.imageCheckInterval(), clock);
    Triggers triggers = new Triggers(service, webhooks, images, deliveries, history);
    images.start();
    triggers.housekeeping.scheduleWithFixedDelay(triggers::pruneDeliveries, 0, 1, TimeUnit.HOURS);
    service.configListener(triggers);
    return triggers;
  }

  private static java.util.Optional<String> noEngine(String image) throws ImageResolutionException {
    throw new ImageResolutionException("this server has no container engine to check " + image + " in");
  }

  /** The webhooks. */
  public WebhookService webhooks() {
    return webhooks;
  }

  /** The image-change triggers. */
  public ImageTriggers images() {
    return images;
  }

  private void pruneDeliveries() {
    try {
      int pruned = deliveries.prune() + history.prune();
      if (pruned > 0) {
        LOG.info("forgot {} webhook deliveries older than their time to live", pruned);
      }
    } catch (RuntimeException e) {
      LOG.warn("pruning webhook deliveries failed: {}", e.getMessage());
    }
  }

  @Override
  public void configStored(BuildConfig config, BuildStore.PutResult result) {
    boolean configChange = config.triggers() != null
        && config.triggers().stream().anyMatch(t -> t.type() == TriggerType.ConfigChange);
    if (configChange) {
      try {
        service.start(config.name(), BuildOptions.none(),
            TriggerCauses.configChange(result == BuildStore.PutResult.created), null);
      } catch (RuntimeException e) {
        LOG.warn("the ConfigChange build of {} could not be queued: {}", config.name(), e.getMessage());
      }
    }
    try {
      images.refresh();
    } catch (RuntimeException e) {
      LOG.warn("following the images of {} failed: {}", config.name(), e.getMessage());
    }
  }

  @Override
  public void configDeleted(String name) {
    try {
      webhooks.forget(name);
      images.forget(name);
    } catch (RuntimeException e) {
      LOG.warn("forgetting the triggers of {} failed: {}", name, e.getMessage());
    }
  }

  @Override
  public void close() {
    service.configListener(BuildService.ConfigListener.NONE);
    housekeeping.shutdownNow();
    images.close();
  }
}
