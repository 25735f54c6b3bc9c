package io.s2i.service.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The service's JSON and YAML mappers: strict on input (an unknown field, a wrong type or a
 * duplicate key is an error naming its path) and ISO-8601 times on output. Shared by the server,
 * the store and the CLI's client commands.
 */
public final class ServiceJson {
  private static final ObjectMapper JSON = configure(new ObjectMapper());
  private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

  private ServiceJson() {}

  private static ObjectMapper configure(ObjectMapper m) {
    return m.registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** The JSON mapper. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The YAML mapper. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** {@code value} as JSON text. */
  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads JSON text the service wrote itself (the store's columns). */
  public static <T> T readTrusted(String text, Class<T> type) {
    try {
      return text == null ? null : JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads JSON text the service wrote itself, of a generic type. */
  public static <T> T readTrusted(String text, TypeReference<T> type) {
    try {
      return text == null ? null : JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads input from a client.
   *
   * @throws InvalidInputException with one line naming what is wrong and where
   */
  public static <T> T readInput(ObjectMapper mapper, String text, Class<T> type) {
    try {
      T value = mapper.readValue(text, type);
      if (value == null) {
        throw new InvalidInputException("the body is empty");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(describe(e));
    }
  }

  /** One line for a parse or mapping error: what, where. */
  public static String describe(JsonProcessingException e) {
    String path = e instanceof MismatchedInputException m ? path(m) : "";
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + u.getPropertyName() + "\"" + (path.contains(".") ? " at " + parent(path) : "");
    }
    if (e instanceof InvalidFormatException f) {
      String allowed = f.getTargetType() != null && f.getTargetType().isEnum()
          ? ": use one of " + java.util.Arrays.stream(f.getTargetType().getEnumConstants())
              .map(Object::toString).collect(Collectors.joining(", "))
          : "";
      return "invalid value " + quote(f.getValue()) + " for " + path + allowed;
    }
    if (e instanceof MismatchedInputException m) {
      return "wrong type for " + (path.isEmpty() ? "the body" : path) + ": " + firstLine(m.getOriginalMessage());
    }
    String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
        + ", column " + e.getLocation().getColumnNr();
    return "malformed " + (e.getProcessor() instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser ? "YAML" : "input")
        + where + ": " + firstLine(e.getOriginalMessage());
  }

  private static String path(MismatchedInputException m) {
    StringBuilder sb = new StringBuilder();
    for (var ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(0, dot);
  }

  private static String quote(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }

  private static String firstLine(String s) {
    String line = s == null ? "" : s.lines().findFirst().orElse("").strip();
    int hint = line.indexOf(" (set DeserializationConfig");
    return hint < 0 ? line : line.substring(0, hint);
  }
}
