package io.s2i.service.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.model.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One object of a YAML document being read field by field: every field must be taken or ignored on
 * purpose; {@link #done} refuses whatever is left, naming it, so nothing is dropped silently.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final Set<String> taken = new HashSet<>();

  Fields(JsonNode node, String path) {
    if (node != null && !node.isNull() && !node.isObject()) {
      throw new InvalidInputException(path + " must be an object");
    }
    this.node = node;
    this.path = path;
  }

  String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private JsonNode take(String field) {
    taken.add(field);
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  boolean has(String field) {
    return node != null && node.has(field) && !node.get(field).isNull();
  }

  String text(String field) {
    JsonNode v = take(field);
    if (v == null) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new InvalidInputException(path(field) + " must be a string");
    }
    return v.asText();
  }

  Boolean bool(String field) {
    JsonNode v = take(field);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException(path(field) + " must be true or false");
    }
    return v.booleanValue();
  }

  Integer integer(String field) {
    JsonNode v = take(field);
    if (v == null) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new InvalidInputException(path(field) + " must be a whole number");
    }
    return v.intValue();
  }

  /** A nested object (empty when absent). */
  Fields object(String field) {
    return new Fields(take(field), path(field));
  }

  /** The objects of a list (empty when absent). */
  List<Fields> list(String field) {
    JsonNode v = take(field);
    List<Fields> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new InvalidInputException(path(field) + " must be a list");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new Fields(v.get(i), path(field) + "[" + i + "]"));
    }
    return out;
  }

  /** Fields that describe the object but do not change what is built. */
  void ignore(String... fields) {
    taken.addAll(List.of(fields));
  }

  /** A field s2i cannot honour: fine when absent or empty, else an error naming it and why. */
  void unsupported(String field, String why) {
    JsonNode v = take(field);
    if (v != null && !(v.isContainerNode() && v.isEmpty()) && !(v.isTextual() && v.asText().isEmpty())
        && !(v.isBoolean() && !v.booleanValue())) {
      throw new InvalidInputException(path(field) + " is not supported by s2i serve: " + why);
    }
  }

  boolean present() {
    return node != null && !node.isNull();
  }

  /** Refuses every field not taken. */
  void done() {
    if (node == null) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!taken.contains(f)) {
        throw new InvalidInputException(path(f) + " is not supported by s2i serve (unknown field)");
      }
    }
  }
}
