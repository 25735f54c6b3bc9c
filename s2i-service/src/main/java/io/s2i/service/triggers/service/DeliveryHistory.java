package io.s2i.service.triggers.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What each verified webhook delivery did, in the service's database (table
 * {@code webhook_delivery_history}), newest first: the answer GitHub's or GitLab's delivery page
 * shows on the sender's side, kept on ours. Only deliveries that proved the secret are recorded,
 * never a body or a secret; each configuration keeps its newest {@value #KEPT_PER_CONFIGURATION}.
 */
public final class DeliveryHistory {
  /** How many deliveries a configuration keeps. */
  public static final int KEPT_PER_CONFIGURATION = 100;
  private final DataSource db;
  private final Duration ttl;
  private final Clock clock;

  /**
   * One delivery as recorded.
   *
   * @param receivedAt when it arrived
   * @param type the webhook's URL type ({@code github}, {@code gitlab}, {@code bitbucket}, {@code generic})
   * @param event the sender's event header, when it sent one
   * @param deliveryId the sender's id of the delivery, when it sent one
   * @param status the HTTP status answered
   * @param message the one-line answer
   * @param build the build it queued, if any
   * @param commit the commit it named, if any
   * @param bodyBytes the size of its body
   */
  public record Delivery(Instant receivedAt, String type, String event, String deliveryId, int status,
      String message, String build, String commit, long bodyBytes) {}

  /** A history in {@code db}; rows older than {@code ttl} are pruned with the replay log. */
  public DeliveryHistory(DataSource db, Duration ttl, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Records a delivery to {@code configuration} and drops the ones past the newest kept. */
  public void record(String configuration, Delivery d) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_delivery_history (config_name, url_type,"
          + " event, delivery_id, received_at, status, message, build_name, git_commit, body_bytes)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, configuration);
        ps.setString(2, cut(d.type(), 32));
        setNullable(ps, 3, cut(d.event(), 64));
        setNullable(ps, 4, cut(d.deliveryId(), 128));
        ps.setLong(5, d.receivedAt().toEpochMilli());
        ps.setInt(6, d.status());
        ps.setString(7, cut(d.message(), 1000));
        setNullable(ps, 8, d.build());
        setNullable(ps, 9, cut(d.commit(), 64));
        ps.setLong(10, d.bodyBytes());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_delivery_history WHERE config_name = ?"
          + " AND id < (SELECT MIN(id) FROM (SELECT id FROM webhook_delivery_history WHERE config_name = ?"
          + " ORDER BY id DESC LIMIT " + KEPT_PER_CONFIGURATION + ") newest)")) {
        ps.setString(1, configuration);
        ps.setString(2, configuration);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("recording a webhook delivery failed: " + e.getMessage(), e);
    }
  }

  /** The newest {@code limit} deliveries to {@code configuration}, newest first. */
  public List<Delivery> list(String configuration, int limit) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT url_type, event, delivery_id, received_at, status, message,"
             + " build_name, git_commit, body_bytes FROM webhook_delivery_history WHERE config_name = ?"
             + " ORDER BY id DESC LIMIT ?")) {
      ps.setString(1, configuration);
      ps.setInt(2, Math.max(1, Math.min(limit, KEPT_PER_CONFIGURATION)));
      List<Delivery> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Delivery(Instant.ofEpochMilli(rs.getLong(4)), rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("reading the webhook deliveries failed: " + e.getMessage(), e);
    }
  }

  /** Forgets the deliveries of a deleted configuration. */
  public void forgetConfiguration(String configuration) {
    delete("DELETE FROM webhook_delivery_history WHERE config_name = ?", ps -> ps.setString(1, configuration));
  }

  /** Deletes the deliveries older than the time to live; returns how many. */
  public int prune() {
    return delete("DELETE FROM webhook_delivery_history WHERE received_at <= ?",
        ps -> ps.setLong(1, clock.millis() - ttl.toMillis()));
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private int delete(String sql, Binder binder) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the webhook delivery history is unavailable: " + e.getMessage(), e);
    }
  }

  private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  private static String cut(String text, int max) {
    if (text == null) {
      return null;
    }
    String clean = text.replaceAll("[\\r\\n\\t]", " ");
    return clean.length() > max ? clean.substring(0, max - 3) + "..." : clean;
  }
}
