package io.s2i.service.triggers.webhook;

import java.util.Objects;
import java.util.Optional;

/**
 * The pushed revision a webhook asks to build: OpenShift's {@code SourceRevision.git} plus the
 * ref and the commit the ref pointed at before the push.
 *
 * @param uri the repository URL the payload names (informational: the build clones the
 *     configuration's URI)
 * @param ref the pushed ref as sent, such as {@code refs/heads/main}
 * @param commit the exact commit to build (lower-case hex)
 * @param previousCommit what the ref pointed at before this push, when the payload says (orders
 *     pushes that arrive out of order, see {@link io.s2i.service.triggers.PushCoalescer})
 * @param author the commit's author, when the payload says
 * @param committer the commit's committer, when the payload says
 * @param message the commit message, when the payload says
 */
public record Revision(Optional<String> uri, String ref, String commit, Optional<String> previousCommit,
    Optional<GitUser> author, Optional<GitUser> committer, Optional<String> message) {

  public Revision {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(previousCommit, "previousCommit");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(committer, "committer");
    Objects.requireNonNull(message, "message");
  }

  /**
   * A git identity as a payload gives it.
   *
   * @param name the name (may be empty when only an email is known)
   * @param email the email (may be empty)
   */
  public record GitUser(String name, String email) {
    public GitUser {
      name = name == null ? "" : name;
      email = email == null ? "" : email;
    }

    /** {@code Name <email>}, or whichever part is known. */
    public String display() {
      if (email.isEmpty()) {
        return name;
      }
      return name.isEmpty() ? "<" + email + ">" : name + " <" + email + ">";
    }
  }
}
