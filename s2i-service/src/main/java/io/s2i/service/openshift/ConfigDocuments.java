package io.s2i.service.openshift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.ServiceJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the configurations in a body or file: JSON or YAML (one document or several, or a
 * {@code List}), in s2i's format (optionally with {@code apiVersion: s2i.io/v1},
 * {@code kind: BuildConfig}) or OpenShift's {@code build.openshift.io/v1}.
 */
public final class ConfigDocuments {
  /** The apiVersion of s2i's own format. */
  public static final String API_VERSION = "s2i.io/v1";

  private ConfigDocuments() {}

  /** Every configuration in {@code text}. */
  public static List<BuildConfig> parse(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = ServiceJson.yaml().getFactory().createParser(text);
         MappingIterator<JsonNode> it = ServiceJson.yaml().readValues(parser, JsonNode.class)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(ServiceJson.describe(e));
    } catch (RuntimeException e) {
      if (e.getCause() instanceof JsonProcessingException j) {
        throw new InvalidInputException(ServiceJson.describe(j));
      }
      throw e;
    } catch (IOException e) {
      throw new InvalidInputException("unreadable input: " + e.getMessage());
    }
    if (docs.isEmpty()) {
      throw new InvalidInputException("the input holds no build configuration");
    }
    List<BuildConfig> out = new ArrayList<>();
    for (JsonNode doc : docs) {
      read(doc, out);
    }
    return out;
  }

  private static void read(JsonNode doc, List<BuildConfig> out) {
    if (!doc.isObject()) {
      throw new InvalidInputException("a document is not an object (a build configuration is a mapping)");
    }
    String kind = doc.path("kind").asText("");
    if (kind.equals("List") && OpenShiftBuildConfigReader.isOpenShift(doc)) {
      for (JsonNode item : doc.path("items")) {
        read(item, out);
      }
      return;
    }
    if (OpenShiftBuildConfigReader.isOpenShift(doc)) {
      out.add(OpenShiftBuildConfigReader.read(doc));
      return;
    }
    ObjectNode native_ = ((ObjectNode) doc).deepCopy();
    if (native_.has("apiVersion")) {
      String api = native_.remove("apiVersion").asText();
      if (!api.equals(API_VERSION)) {
        throw new InvalidInputException("apiVersion " + api + " is not known: use " + API_VERSION
            + " (s2i's format) or build.openshift.io/v1 (OpenShift's)");
      }
    }
    if (native_.has("kind")) {
      String k = native_.remove("kind").asText();
      if (!k.equals("BuildConfig")) {
        throw new InvalidInputException("kind " + k + " is not a BuildConfig");
      }
    }
    native_.remove("status");
    try {
      out.add(ServiceJson.json().treeToValue(native_, BuildConfig.class));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(ServiceJson.describe(e));
    }
  }
}
