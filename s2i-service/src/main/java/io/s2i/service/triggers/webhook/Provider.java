package io.s2i.service.triggers.webhook;

/** Who sent a webhook. Recorded with the build it started. */
public enum Provider {
  /** GitHub (github.com and GitHub Enterprise Server). */
  GITHUB("github", "GitHub WebHook"),
  /** GitLab (gitlab.com and self-managed). */
  GITLAB("gitlab", "GitLab WebHook"),
  /** Bitbucket Cloud (bitbucket.org): {@code repo:push}. */
  BITBUCKET_CLOUD("bitbucket", "Bitbucket WebHook"),
  /** Bitbucket Server and Data Center: {@code repo:refs_changed}. */
  BITBUCKET_SERVER("bitbucket", "Bitbucket WebHook"),
  /** OpenShift's generic webhook: any sender that knows the URL secret. */
  GENERIC("generic", "Generic WebHook");

  private final String urlType;
  private final String causeMessage;

  Provider(String urlType, String causeMessage) {
    this.urlType = urlType;
    this.causeMessage = causeMessage;
  }

  /** The type segment of the webhook URL ({@code github}, {@code gitlab}, {@code bitbucket}, {@code generic}), as in OpenShift's URLs. */
  public String urlType() {
    return urlType;
  }

  /** OpenShift's {@code triggeredBy[].message} for a build this provider started. */
  public String causeMessage() {
    return causeMessage;
  }

  /** A short lower-case name for records and logs: {@code github}, {@code bitbucket-server}, ... */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
