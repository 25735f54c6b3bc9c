package io.s2i.service.http;

import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.store.BuildPage;
import io.s2i.service.store.BuildQuery;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The build lists' paging, server-side: {@code limit} (1-1000, default 100), {@code phase}
 * (comma-separated phases) and {@code continue} (the cursor a previous page gave). The body stays
 * a JSON array of builds, newest first, so existing clients keep working; the page's facts travel
 * in headers: {@code X-Total-Count} (builds matching, on all pages) and, when older builds
 * remain, {@code X-Continue} with the cursor and a {@code Link: <...>; rel="next"}.
 */
final class BuildPaging {
  static final int MAX_LIST = 1000;
  static final int DEFAULT_LIMIT = 100;

  private BuildPaging() {}

  /** Answers one page of the builds of {@code config} (all configurations when empty). */
  static void answer(Context ctx, BuildService service, Optional<String> config) {
    BuildQuery query = new BuildQuery(config, phases(ctx.queryParam("phase")), cursor(ctx.queryParam("continue")),
        limit(ctx.queryParam("limit")));
    BuildPage page = service.buildPage(query);
    ctx.header("X-Total-Count", Long.toString(page.total()));
    page.next().ifPresent(next -> {
      ctx.header("X-Continue", next.token());
      StringBuilder url = new StringBuilder(ctx.path()).append("?limit=").append(query.limit())
          .append("&continue=").append(next.token());
      if (ctx.queryParam("phase") != null) {
        url.append("&phase=").append(String.join(",", query.phases().stream().map(Enum::name).sorted().toList()));
      }
      if (ctx.queryParam("config") != null) {
        url.append("&config=").append(config.orElse(""));
      }
      ctx.header("Link", "<" + url + ">; rel=\"next\"");
    });
    ctx.header("Access-Control-Expose-Headers", "X-Total-Count, X-Continue, Link");
    Answers.json(ctx, 200, page.items());
  }

  static int limit(String v) {
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > MAX_LIST) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("limit=" + v + " is not a number from 1 to " + MAX_LIST);
    }
  }

  static Set<BuildPhase> phases(String v) {
    if (v == null || v.isBlank()) {
      return Set.of();
    }
    Set<BuildPhase> out = EnumSet.noneOf(BuildPhase.class);
    for (String part : v.split(",")) {
      String p = part.strip();
      Optional<BuildPhase> phase = EnumSet.allOf(BuildPhase.class).stream()
          .filter(x -> x.name().toLowerCase(Locale.ROOT).equals(p.toLowerCase(Locale.ROOT))).findFirst();
      out.add(phase.orElseThrow(() -> new InvalidInputException("phase=" + (p.length() > 40 ? p.substring(0, 40) : p)
          + " is not one of New, Pending, Running, Complete, Failed, Error, Cancelled")));
    }
    return out;
  }

  static Optional<BuildQuery.Cursor> cursor(String v) {
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(BuildQuery.Cursor.parse(v).orElseThrow(() ->
        new InvalidInputException("continue=" + (v.length() > 40 ? v.substring(0, 40) + "..." : v)
            + " is not a cursor this server gave: use the X-Continue header of the previous page")));
  }
}
