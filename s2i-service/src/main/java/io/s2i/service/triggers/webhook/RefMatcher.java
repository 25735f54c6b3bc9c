package io.s2i.service.triggers.webhook;

import java.util.Optional;

/**
 * OpenShift's ref matching ({@code GitRefMatches}): the configuration's ref, {@code master} when
 * none is set, against the pushed ref, both without a leading {@code refs/heads/}. So a
 * configuration on {@code main} builds pushes to {@code refs/heads/main}; tags and other branches
 * do not match and are skipped with a reason that says which ref came and which one is built.
 */
public final class RefMatcher {
  /** OpenShift's ref when the configuration names none. */
  public static final String DEFAULT_REF = "master";
  private static final String HEADS = "refs/heads/";
  private static final String TAGS = "refs/tags/";
  private static final int MAX_REF_LENGTH = 1024;

  private final String configRef;

  private RefMatcher(String configRef) {
    this.configRef = configRef;
  }

  /** The matcher for a configuration's {@code source.git.ref} (empty: {@code master}). */
  public static RefMatcher forConfigRef(Optional<String> gitRef) {
    return new RefMatcher(strip(gitRef.filter(r -> !r.isBlank()).orElse(DEFAULT_REF).trim()));
  }

  /** The configuration's ref without {@code refs/heads/}: {@code master}, {@code main}, ... */
  public String configRef() {
    return configRef;
  }

  /** Whether a push to {@code eventRef} builds this configuration. */
  public boolean matches(String eventRef) {
    return eventRef != null && strip(eventRef).equals(configRef);
  }

  /** Why a push to {@code eventRef}, which does not match, builds nothing. */
  public String skipReason(String eventRef) {
    String what;
    if (eventRef.startsWith(TAGS)) {
      what = "a push of tag " + eventRef.substring(TAGS.length());
    } else if (eventRef.startsWith(HEADS)) {
      what = "a push to branch " + eventRef.substring(HEADS.length());
    } else {
      what = "a push to " + eventRef;
    }
    return what + " does not build this configuration, which builds " + describeConfigRef();
  }

  /** {@code branch main}, or the ref as configured when it is not a branch name. */
  public String describeConfigRef() {
    return configRef.startsWith("refs/") ? configRef : "branch " + configRef;
  }

  /** The ref of a branch as a push names it: {@code refs/heads/NAME}. */
  public static String branchRef(String name) {
    return HEADS + name;
  }

  /** The ref of a tag as a push names it: {@code refs/tags/NAME}. */
  public static String tagRef(String name) {
    return TAGS + name;
  }

  /** Whether a pushed ref is a tag. */
  public static boolean isTag(String ref) {
    return ref.startsWith(TAGS);
  }

  /**
   * Whether {@code ref} is a plausible git ref name: git's own rules ({@code git check-ref-format})
   * for the characters and sequences a ref cannot hold, and at most 1024 characters. Refs come
   * from the payload, so they are checked before they reach a log line or a build record.
   */
  public static boolean isValidRef(String ref) {
    if (ref == null || ref.isEmpty() || ref.length() > MAX_REF_LENGTH) {
      return false;
    }
    for (int i = 0; i < ref.length(); i++) {
      char c = ref.charAt(i);
      if (c < 0x20 || c == 0x7f || c == ' ' || "~^:?*[\\".indexOf(c) >= 0) {
        return false;
      }
    }
    return !ref.contains("..") && !ref.contains("@{") && !ref.contains("//") && !ref.startsWith("/")
        && !ref.endsWith("/") && !ref.endsWith(".") && !ref.endsWith(".lock") && !ref.equals("@");
  }

  private static String strip(String ref) {
    return ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : ref;
  }
}
