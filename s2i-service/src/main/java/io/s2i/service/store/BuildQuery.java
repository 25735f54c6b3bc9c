package io.s2i.service.store;

import io.s2i.service.model.BuildPhase;
import java.util.Optional;
import java.util.Set;

/**
 * Which builds a page of the build list holds: newest first, of one configuration and in some
 * phases when given, and older than a cursor (the last build of the previous page) when given.
 *
 * @param config only this configuration's builds
 * @param phases only builds in these phases; empty for all
 * @param after the previous page's cursor ({@link BuildPage#next}); empty for the first page
 * @param limit at most this many builds
 */
public record BuildQuery(Optional<String> config, Set<BuildPhase> phases, Optional<Cursor> after, int limit) {
  public BuildQuery {
    phases = Set.copyOf(phases);
  }

  /**
   * A position in the newest-first order: a build's creation time and row id.
   *
   * @param createdAtMillis the build's {@code createdAt}
   * @param id the build's row id (ties between builds created in the same millisecond)
   */
  public record Cursor(long createdAtMillis, long id) {
    /** The cursor as the API hands it out: opaque to clients. */
    public String token() {
      return Long.toString(createdAtMillis, 36) + "." + Long.toString(id, 36);
    }

    /** Reads a token made by {@link #token}; empty when it is not one. */
    public static Optional<Cursor> parse(String token) {
      int dot = token == null ? -1 : token.indexOf('.');
      if (dot <= 0 || token.length() > 40) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Cursor(Long.parseLong(token.substring(0, dot), 36),
            Long.parseLong(token.substring(dot + 1), 36)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
