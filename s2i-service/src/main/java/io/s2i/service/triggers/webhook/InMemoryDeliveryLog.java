package io.s2i.service.triggers.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link DeliveryLog} in memory: each delivery is remembered for a time to live, and at most a
 * given number of them (the oldest are forgotten first), so that a flood of deliveries cannot
 * exhaust memory.
 */
public final class InMemoryDeliveryLog implements DeliveryLog {
  /**
   * The default time to live: GitHub lets a user redeliver the deliveries of the past three days,
   * and a redelivery keeps its delivery id.
   */
  public static final Duration DEFAULT_TTL = Duration.ofDays(3);
  /** The default number of deliveries remembered. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private final Duration ttl;
  private final int maxEntries;
  private final Clock clock;
  /** Insertion order is time order: the eldest entry is the first to expire. */
  private final LinkedHashMap<String, Instant> received = new LinkedHashMap<>();

  /** A log with the defaults. */
  public InMemoryDeliveryLog() {
    this(DEFAULT_TTL, DEFAULT_MAX_ENTRIES, Clock.systemUTC());
  }

  /**
   * A log that remembers each delivery for {@code ttl}, at most {@code maxEntries} of them.
   *
   * @throws IllegalArgumentException when {@code ttl} is not positive or {@code maxEntries} is not
   */
  public InMemoryDeliveryLog(Duration ttl, int maxEntries, Clock clock) {
    if (ttl.isNegative() || ttl.isZero() || maxEntries <= 0) {
      throw new IllegalArgumentException("ttl and maxEntries must be positive");
    }
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized boolean seen(String configuration, String provider, String deliveryId) {
    Instant now = clock.instant();
    expire(now);
    String key = configuration + '\u0000' + provider + '\u0000' + deliveryId;
    if (received.containsKey(key)) {
      return true;
    }
    received.put(key, now);
    if (received.size() > maxEntries) {
      Iterator<String> eldest = received.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return false;
  }

  /** How many deliveries are remembered now. */
  public synchronized int size() {
    expire(clock.instant());
    return received.size();
  }

  private void expire(Instant now) {
    Instant cutoff = now.minus(ttl);
    Iterator<Map.Entry<String, Instant>> it = received.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().isAfter(cutoff)) {
        return;
      }
      it.remove();
    }
  }
}
