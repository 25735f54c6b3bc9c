package io.s2i.api;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code --allowed-uids} ranges: comma-separated {@code N}, {@code N-}, {@code -N} or
 * {@code N-M}. An empty list allows every user; otherwise only numeric users inside a range.
 */
public record AllowedUids(List<Range> ranges) {

  /** One inclusive range; an absent bound is open. */
  public record Range(OptionalLong from, OptionalLong to) {
    boolean contains(long uid) {
      return (from.isEmpty() || uid >= from.getAsLong()) && (to.isEmpty() || uid <= to.getAsLong());
    }

    @Override
    public String toString() {
      return (from.isPresent() ? Long.toString(from.getAsLong()) : "")
          + (from.equals(to) ? "" : "-" + (to.isPresent() ? Long.toString(to.getAsLong()) : ""));
    }
  }

  public AllowedUids {
    ranges = List.copyOf(ranges);
  }

  /** No restriction. */
  public static AllowedUids any() {
    return new AllowedUids(List.of());
  }

  /** Parses the flag value; throws with a message naming the bad range. */
  public static AllowedUids parse(String text) {
    List<Range> ranges = new ArrayList<>();
    if (text.isBlank()) {
      return new AllowedUids(ranges);
    }
    for (String part : text.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-');
        if (dash < 0) {
          long v = parseUid(p);
          ranges.add(new Range(OptionalLong.of(v), OptionalLong.of(v)));
          continue;
        }
        String a = p.substring(0, dash).trim();
        String b = p.substring(dash + 1).trim();
        if (a.isEmpty() && b.isEmpty()) {
          throw new NumberFormatException();
        }
        OptionalLong from = a.isEmpty() ? OptionalLong.empty() : OptionalLong.of(parseUid(a));
        OptionalLong to = b.isEmpty() ? OptionalLong.empty() : OptionalLong.of(parseUid(b));
        if (from.isPresent() && to.isPresent() && to.getAsLong() < from.getAsLong()) {
          throw new NumberFormatException();
        }
        ranges.add(new Range(from, to));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "invalid uid range \"" + p + "\": use N, N-, -N or N-M with non-negative numbers");
      }
    }
    return new AllowedUids(ranges);
  }

  private static long parseUid(String s) {
    long v = Long.parseLong(s);
    if (v < 0) {
      throw new NumberFormatException();
    }
    return v;
  }

  /** Whether no restriction is in force. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * Whether {@code user} (a user spec such as {@code 1001}, {@code 1001:0} or {@code default}) is
   * allowed: always when empty; else only when its user part is numeric and inside a range.
   */
  public boolean allows(String user) {
    if (ranges.isEmpty()) {
      return true;
    }
    String u = user == null ? "" : user.trim();
    int colon = u.indexOf(':');
    if (colon >= 0) {
      u = u.substring(0, colon);
    }
    long uid;
    try {
      uid = Long.parseLong(u);
    } catch (NumberFormatException e) {
      return false;
    }
    return ranges.stream().anyMatch(r -> r.contains(uid));
  }

  @Override
  public String toString() {
    return String.join(",", ranges.stream().map(Range::toString).toList());
  }
}
