package io.s2i.service.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * One-time tokens for a build's binary input: the server issues one when it hands the build to a
 * Job, the Job's pod presents it once to fetch the upload. The database keeps only the token's
 * SHA-256, so every server sharing it can check a token, and using one is a single conditional
 * update, so two requests with the same token cannot both get the upload.
 */
public final class InputTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final DataSource db;
  private final Clock clock;

  /** Tokens in this database. */
  public InputTokens(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** What presenting a token found. */
  public enum Use {
    /** The token was valid and is now used up. */
    GRANTED,
    /** No such token for the build. */
    UNKNOWN,
    /** The token was used before. */
    USED,
    /** The token's time ran out. */
    EXPIRED
  }

  /** Issues a new token for a build's input, replacing any earlier one; valid for {@code ttl}. */
  public String issue(long buildId, Duration ttl) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = "s2ii_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del = c.prepareStatement("DELETE FROM build_input_tokens WHERE build_id = ?");
           PreparedStatement ins = c.prepareStatement(
               "INSERT INTO build_input_tokens (build_id, token_hash, expires_at) VALUES (?, ?, ?)")) {
        del.setLong(1, buildId);
        del.executeUpdate();
        ins.setLong(1, buildId);
        ins.setString(2, hash(token));
        ins.setLong(3, clock.millis() + ttl.toMillis());
        ins.executeUpdate();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new JdbcBuildStore.StoreException(e);
    }
    return token;
  }

  /** Whether {@code token} is the build's unused, unexpired token, without using it. */
  public Use check(long buildId, String token) {
    return state(buildId, token, false);
  }

  /** Uses the build's token: {@link Use#GRANTED} once, then {@link Use#USED}. */
  public Use consume(long buildId, String token) {
    return state(buildId, token, true);
  }

  private Use state(long buildId, String token, boolean consume) {
    if (token == null || token.isBlank()) {
      return Use.UNKNOWN;
    }
    String hash = hash(token.strip());
    long now = clock.millis();
    try (Connection c = db.getConnection()) {
      if (consume) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE build_input_tokens SET used_at = ?"
            + " WHERE build_id = ? AND token_hash = ? AND used_at IS NULL AND expires_at > ?")) {
          ps.setLong(1, now);
          ps.setLong(2, buildId);
          ps.setString(3, hash);
          ps.setLong(4, now);
          if (ps.executeUpdate() == 1) {
            return Use.GRANTED;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT used_at, expires_at FROM build_input_tokens WHERE build_id = ? AND token_hash = ?")) {
        ps.setLong(1, buildId);
        ps.setString(2, hash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Use.UNKNOWN;
          }
          rs.getLong(1);
          if (!rs.wasNull()) {
            return Use.USED;
          }
          return rs.getLong(2) <= now ? Use.EXPIRED : (consume ? Use.USED : Use.GRANTED);
        }
      }
    } catch (SQLException e) {
      throw new JdbcBuildStore.StoreException(e);
    }
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
