package io.s2i.internal.build;

import io.s2i.internal.contract.S2iLabels;
import io.s2i.api.AllowedUids;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.internal.contract.BuilderImageContract;
import java.util.Locale;
import java.util.Optional;

/**
 * Which user assemble runs as, and upstream's {@code --allowed-uids} checks: ONBUILD {@code USER}
 * triggers, then the requested assemble user, else the assemble-user label, else the image user.
 */
public final class UserPolicy {
  private UserPolicy() {}

  /** The assemble user: the request's, else the label's, else the image's {@code USER}. */
  public static String assembleUser(Optional<String> requested, BuilderImageContract builder) {
    return requested.or(builder::assembleUser).orElse(builder.user());
  }

  /** Throws when the builder or the requested user breaks the allowed ranges. */
  public static void check(
      AllowedUids allowed, Optional<String> requestedUser, BuilderImageContract builder)
      throws S2iException {
    if (allowed.isEmpty()) {
      return;
    }
    String image = builder.imageName();
    for (String trigger : builder.onBuild()) {
      String t = trigger.trim();
      if (t.toUpperCase(Locale.ROOT).startsWith("USER ") && !allowed.allows(t.substring(5).trim())) {
        throw forbidden("image \"" + image + "\" includes at least one ONBUILD instruction that sets the user to a user that is not allowed (allowed: " + allowed + ")");
      }
    }
    if (requestedUser.isPresent()) {
      if (!allowed.allows(requestedUser.get())) {
        throw forbidden("assemble user \"" + requestedUser.get() + "\" must be numeric and within the range of allowed users (" + allowed + ")");
      }
      return;
    }
    Optional<String> label = builder.assembleUser();
    if (label.isPresent()) {
      if (!allowed.allows(label.get())) {
        throw forbidden("image \"" + image + "\" includes the \"" + S2iLabels.ASSEMBLE_USER + "\" label whose value \"" + label.get() + "\" is not within the allowed range (" + allowed + ")");
      }
      return;
    }
    if (!allowed.allows(builder.user())) {
      String user = builder.user().isEmpty() ? "root (no USER)" : "\"" + builder.user() + "\"";
      throw forbidden("image \"" + image + "\" must specify a user that is numeric and within the range of allowed users, it has " + user + " (allowed: " + allowed + ")");
    }
  }

  private static S2iException forbidden(String message) {
    return new S2iException(FailureReason.ASSEMBLE_USER_FORBIDDEN, message,
        "build with a builder image whose user is numeric and allowed, pass an allowed run.assembleUser, or widen run.allowedUids");
  }
}
