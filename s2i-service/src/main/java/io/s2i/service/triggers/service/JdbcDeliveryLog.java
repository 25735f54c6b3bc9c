package io.s2i.service.triggers.service;

import io.s2i.service.triggers.webhook.DeliveryLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The deliveries already received, in the service's database (table {@code webhook_deliveries}),
 * so that a replay is refused after a restart and by every server sharing the database. A delivery
 * is one row keyed by configuration, provider and id: the insert that succeeds is the one that
 * builds; a row older than the time to live counts as unseen and is taken over by a conditional
 * update (so two redeliveries racing for it still build once), and {@link #prune} deletes such rows.
 */
public final class JdbcDeliveryLog implements DeliveryLog {
  private final DataSource db;
  private final Duration ttl;
  private final Clock clock;

  /** A log in {@code db} remembering each delivery for {@code ttl}. */
  public JdbcDeliveryLog(DataSource db, Duration ttl, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean seen(String configuration, String provider, String deliveryId) {
    long now = clock.millis();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_deliveries"
          + " (config_name, provider, delivery_id, received_at) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, configuration);
        insert.setString(2, provider);
        insert.setString(3, deliveryId);
        insert.setLong(4, now);
        insert.executeUpdate();
        return false;
      } catch (SQLException e) {
        if (!isDuplicate(e)) {
          throw e;
        }
      }
      // Seen, unless that row has outlived the time to live and this request takes it over first.
      try (PreparedStatement renew = c.prepareStatement("UPDATE webhook_deliveries SET received_at = ?"
          + " WHERE config_name = ? AND provider = ? AND delivery_id = ? AND received_at <= ?")) {
        renew.setLong(1, now);
        renew.setString(2, configuration);
        renew.setString(3, provider);
        renew.setString(4, deliveryId);
        renew.setLong(5, now - ttl.toMillis());
        return renew.executeUpdate() == 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the webhook delivery log is unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Forgets a delivery whose build could not be queued, so that the sender's redelivery is not
   * refused as a replay.
   */
  public void forget(String configuration, String provider, String deliveryId) {
    update("DELETE FROM webhook_deliveries WHERE config_name = ? AND provider = ? AND delivery_id = ?",
        configuration, provider, deliveryId);
  }

  /** Forgets the deliveries of a deleted configuration. */
  public void forgetConfiguration(String configuration) {
    update("DELETE FROM webhook_deliveries WHERE config_name = ?", configuration);
  }

  /** Deletes the deliveries older than the time to live; returns how many. */
  public int prune() {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_deliveries WHERE received_at <= ?")) {
      c.setAutoCommit(true);
      ps.setLong(1, clock.millis() - ttl.toMillis());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("pruning the webhook delivery log failed: " + e.getMessage(), e);
    }
  }

  private void update(String sql, String... args) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the webhook delivery log is unavailable: " + e.getMessage(), e);
    }
  }

  private static boolean isDuplicate(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }
}
