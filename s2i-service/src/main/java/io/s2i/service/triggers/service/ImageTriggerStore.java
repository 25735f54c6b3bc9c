package io.s2i.service.triggers.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per configuration and followed image, the id it was last rebuilt for (table
 * {@code image_triggers}, OpenShift's {@code lastTriggeredImageID}). {@link #claim} is a
 * compare-and-set: of every check that sees one change (the interval, an API call, another server
 * sharing the database) only one moves a configuration to the new id, and only that one rebuilds it.
 */
final class ImageTriggerStore {
  private final DataSource db;
  private final Clock clock;

  ImageTriggerStore(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The id {@code config} was last rebuilt for when {@code image} changed. */
  Optional<String> lastId(String config, String image) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT last_id FROM image_triggers WHERE config_name = ? AND image = ?")) {
      c.setAutoCommit(true);
      ps.setString(1, config);
      ps.setString(2, image);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the image triggers failed: " + e.getMessage(), e);
    }
  }

  /**
   * Moves {@code config}'s record of {@code image} to {@code newId} unless it is there already.
   *
   * @return whether this call moved it (and so must start the rebuild)
   */
  boolean claim(String config, String image, String newId) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement up = c.prepareStatement("UPDATE image_triggers SET last_id = ?, triggered_at = ?"
          + " WHERE config_name = ? AND image = ? AND last_id <> ?")) {
        up.setString(1, newId);
        up.setLong(2, clock.millis());
        up.setString(3, config);
        up.setString(4, image);
        up.setString(5, newId);
        if (up.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement in = c.prepareStatement("INSERT INTO image_triggers (config_name, image, last_id,"
          + " triggered_at) VALUES (?, ?, ?, ?)")) {
        in.setString(1, config);
        in.setString(2, image);
        in.setString(3, newId);
        in.setLong(4, clock.millis());
        in.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
          return false; // the row exists with newId, or another check inserted it first
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("recording an image change failed: " + e.getMessage(), e);
    }
  }

  /** Puts a configuration's record back (its rebuild could not be queued, so the change is seen again). */
  void restore(String config, String image, Optional<String> previous) {
    String sql = previous.isPresent()
        ? "UPDATE image_triggers SET last_id = ? WHERE config_name = ? AND image = ?"
        : "DELETE FROM image_triggers WHERE config_name = ? AND image = ?";
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      c.setAutoCommit(true);
      int i = 1;
      if (previous.isPresent()) {
        ps.setString(i++, previous.get());
      }
      ps.setString(i++, config);
      ps.setString(i, image);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("recording an image change failed: " + e.getMessage(), e);
    }
  }

  /** Forgets a deleted configuration. */
  void forget(String config) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM image_triggers WHERE config_name = ?")) {
      c.setAutoCommit(true);
      ps.setString(1, config);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("forgetting image triggers failed: " + e.getMessage(), e);
    }
  }
}
