package io.s2i.service.triggers.webhook;

/**
 * The deliveries already received, so that a replayed or redelivered webhook (the same
 * {@code X-GitHub-Delivery}, GitLab {@code Idempotency-Key}, Bitbucket request id) does not build
 * twice. {@link InMemoryDeliveryLog} keeps them in memory; the service backs this with its
 * database (a table keyed by configuration, provider and id, with the time received, pruned after
 * the same time to live) so that a restart does not forget them.
 */
public interface DeliveryLog {

  /**
   * Records a delivery and says whether it had been recorded before, in one atomic step (a
   * database implementation inserts and treats a unique-key violation as "seen").
   *
   * @param configuration the build configuration the delivery was sent to: one delivery forwarded
   *     to two configurations builds each once
   * @param provider the sender, {@link Provider#id()}
   * @param deliveryId the sender's id of the delivery
   * @return true when this delivery was already recorded (and has not expired): do not build
   */
  boolean seen(String configuration, String provider, String deliveryId);
}
