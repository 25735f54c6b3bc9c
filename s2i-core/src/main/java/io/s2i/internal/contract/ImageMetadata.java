package io.s2i.internal.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses {@code image_metadata.json}, the file through which an assemble script asks for labels:
 * {@code {"labels":[{"k":"v"},{"k2":"v2"}]}}. Upstream panics on a file without a labels array;
 * here any malformed file is a clear error.
 */
public final class ImageMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageMetadata() {}

  /** The labels the file asks for. */
  public static Map<String, String> labels(byte[] json) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IOException("image_metadata.json is not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException("image_metadata.json must hold a JSON object with a \"labels\" array");
    }
    JsonNode labels = root.get("labels");
    Map<String, String> result = new LinkedHashMap<>();
    if (labels == null || labels.isNull()) {
      return result;
    }
    if (!labels.isArray()) {
      throw new IOException("image_metadata.json: \"labels\" must be an array of objects");
    }
    for (JsonNode entry : labels) {
      if (!entry.isObject()) {
        throw new IOException("image_metadata.json: every entry of \"labels\" must be an object");
      }
      for (var it = entry.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!field.getValue().isTextual()) {
          throw new IOException(
              "image_metadata.json: label \"" + field.getKey() + "\" must have a string value");
        }
        result.put(field.getKey(), field.getValue().asText());
      }
    }
    return result;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
