package io.s2i.service.triggers.webhook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request's HTTP headers, looked up without regard to case (HTTP header names are
 * case-insensitive; frameworks and proxies disagree on the spelling they hand over).
 */
public final class Headers {
  private final Map<String, List<String>> byLowerName;

  private Headers(Map<String, List<String>> byLowerName) {
    this.byLowerName = byLowerName;
  }

  /** Headers from a name to values map, as most HTTP frameworks give them. */
  public static Headers of(Map<String, ? extends List<String>> headers) {
    Map<String, List<String>> copy = new TreeMap<>();
    headers.forEach((name, values) -> {
      if (name != null && values != null) {
        copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values);
      }
    });
    copy.replaceAll((k, v) -> List.copyOf(v));
    return new Headers(Collections.unmodifiableMap(copy));
  }

  /** Headers from alternating names and values: {@code ofPairs("X-GitHub-Event", "push", ...)}. */
  public static Headers ofPairs(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, List<String>> map = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
    }
    return of(map);
  }

  /** The first value of a header, trimmed; empty when the header is absent or blank. */
  public Optional<String> first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? Optional.empty()
        : Optional.of(values.get(0).trim()).filter(v -> !v.isEmpty());
  }

  /** Every value of a header, in the order received. */
  public List<String> all(String name) {
    return byLowerName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** Whether the header was sent at all. */
  public boolean has(String name) {
    return !all(name).isEmpty();
  }

  /** The header names, lower case. */
  public java.util.Set<String> names() {
    return byLowerName.keySet();
  }

  @Override
  public String toString() {
    // Values may hold a GitLab token or an Authorization header: names only.
    return "Headers" + byLowerName.keySet();
  }
}
