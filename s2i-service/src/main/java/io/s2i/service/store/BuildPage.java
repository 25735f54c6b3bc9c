package io.s2i.service.store;

import io.s2i.service.model.Build;
import java.util.List;
import java.util.Optional;

/**
 * One page of the build list.
 *
 * @param items the builds, newest first
 * @param next the cursor of the next (older) page; empty on the last page
 * @param total how many builds match the query's configuration and phases, on all pages
 */
public record BuildPage(List<Build> items, Optional<BuildQuery.Cursor> next, long total) {
  public BuildPage {
    items = List.copyOf(items);
  }
}
