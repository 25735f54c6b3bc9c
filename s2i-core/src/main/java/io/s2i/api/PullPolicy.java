package io.s2i.api;

import java.util.Locale;

/** When an image is pulled from its registry; the values and their spelling are upstream's. */
public enum PullPolicy {
  ALWAYS("always"),
  NEVER("never"),
  IF_NOT_PRESENT("if-not-present");

  private final String flagValue;

  PullPolicy(String flagValue) {
    this.flagValue = flagValue;
  }

  /** The spelling used on the command line and in {@code .s2ifile}. */
  public String flagValue() {
    return flagValue;
  }

  /** Parses {@code always}, {@code never} or {@code if-not-present}. */
  public static PullPolicy parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (PullPolicy p : values()) {
      if (p.flagValue.equals(v)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "invalid pull policy \"" + value + "\": use always, never or if-not-present");
  }

  @Override
  public String toString() {
    return flagValue;
  }
}
