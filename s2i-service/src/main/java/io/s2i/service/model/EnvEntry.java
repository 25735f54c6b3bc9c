package io.s2i.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One environment variable of a build. A {@code secret} value is never shown in an API answer or a
 * log: answers carry {@link #MASK} instead, and a {@link #MASK} sent back keeps the stored value.
 *
 * @param name the variable's name
 * @param value its value
 * @param secret whether the value is a secret
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record EnvEntry(String name, String value, boolean secret) {
  /** What answers show in place of a secret value. */
  public static final String MASK = "*****";

  /** This entry as an answer shows it. */
  public EnvEntry masked() {
    return secret ? new EnvEntry(name, MASK, true) : this;
  }
}
