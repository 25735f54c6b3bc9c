package io.s2i.service.triggers.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/** Reading payloads: JSON (every sender) and YAML (the generic hook), bounded and one-line errors. */
final class Json {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML;

  static {
    LoaderOptions options = new LoaderOptions();
    // Aliases expand without bound ("billion laughs"); a webhook payload has no use for them.
    options.setMaxAliasesForCollections(10);
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(WebhookBodyLimit.DEFAULT_MAX_BYTES);
    YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
  }

  private Json() {}

  /** A payload that cannot be read; its message is one line, without the payload's content. */
  static final class MalformedPayload extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedPayload(String message) {
      super(message);
    }
  }

  static JsonNode parseJson(byte[] body) throws MalformedPayload {
    return parse(JSON, body, "JSON");
  }

  static JsonNode parseYaml(byte[] body) throws MalformedPayload {
    return parse(YAML, body, "YAML");
  }

  private static JsonNode parse(ObjectMapper mapper, byte[] body, String format) throws MalformedPayload {
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || !node.isObject()) {
        throw new MalformedPayload("the body is not a " + format + " object");
      }
      return node;
    } catch (JacksonException e) {
      throw new MalformedPayload("the body is not valid " + format + ": " + oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MalformedPayload("the body cannot be read as " + format + ": " + oneLine(e.getMessage()));
    }
  }

  /** The non-empty text at {@code path} under {@code node}; empty when absent, null or not text. */
  static Optional<String> text(JsonNode node, String... path) {
    JsonNode at = at(node, path);
    return at.isTextual() && !at.asText().isEmpty() ? Optional.of(at.asText()) : Optional.empty();
  }

  /** The node at {@code path}; a missing node when any step is absent. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode at = node;
    for (String step : path) {
      at = at == null ? null : at.get(step);
    }
    return at == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : at;
  }

  /** {@code text} on one line and at most 200 characters, for a reason. */
  static String oneLine(String text) {
    String line = text == null ? "" : text.replaceAll("[\\s\\p{Cntrl}]+", " ").trim();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
