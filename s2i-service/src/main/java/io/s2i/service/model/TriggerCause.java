package io.s2i.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What started a build, as OpenShift's {@code triggeredBy}: a type ({@code Manual}, {@code GitHub},
 * {@code Generic}, {@code ImageChange}, {@code ConfigChange}, ...), its message and details such as
 * the commit, author or image ids. Never holds a secret.
 *
 * @param type the kind of trigger
 * @param message a human-readable line, e.g. {@code Manually triggered}
 * @param details provider-specific facts (commit, author, old and new image)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TriggerCause(String type, String message, Map<String, String> details) {
  public TriggerCause {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** A build started by hand (API or CLI). */
  public static TriggerCause manual() {
    return new TriggerCause("Manual", "Manually triggered", Map.of());
  }
}
