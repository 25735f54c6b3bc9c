package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.engine.CommitSpec;
import io.s2i.engine.ImageInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads and writes image configs (the OCI/Docker image config JSON). */
final class ImageConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageConfigs() {}

  static ObjectNode parse(byte[] config) throws IOException {
    return (ObjectNode) JSON.readTree(config);
  }

  /** The engine-neutral view of image {@code id}. */
  static ImageInfo info(String id, byte[] config, long size) throws IOException {
    JsonNode root = JSON.readTree(config);
    JsonNode c = root.path("config");
    Map<String, String> labels = new TreeMap<>();
    c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new ImageInfo(id, labels, strings(c.path("Env")), c.path("User").asText(""),
        c.path("WorkingDir").asText(""), strings(c.path("Entrypoint")), strings(c.path("Cmd")),
        strings(c.path("OnBuild")), size, strings(root.path("rootfs").path("diff_ids")));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * {@code first} as it is, then the entries of {@code rest} whose names {@code first} does not
   * set: how Docker's commit merges the commit's env with the container's.
   */
  static List<String> mergeEnv(List<String> first, List<String> rest) {
    List<String> out = new ArrayList<>(first);
    Set<String> names = new LinkedHashSet<>();
    first.forEach(e -> names.add(name(e)));
    for (String e : rest) {
      if (!names.contains(name(e))) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * {@code base} with each entry of {@code overrides} replacing the entry of the same name in
   * place, or appended: how Docker makes a container's env from its image's.
   */
  static List<String> replaceOrAppend(List<String> base, List<String> overrides) {
    List<String> out = new ArrayList<>(base);
    for (String o : overrides) {
      boolean replaced = false;
      for (int i = 0; i < out.size(); i++) {
        if (name(out.get(i)).equals(name(o))) {
          out.set(i, o);
          replaced = true;
          break;
        }
      }
      if (!replaced) {
        out.add(o);
      }
    }
    return out;
  }

  static String name(String envEntry) {
    int eq = envEntry.indexOf('=');
    return eq < 0 ? envEntry : envEntry.substring(0, eq);
  }

  /**
   * The config of an image committed from a container of {@code base}: the container's config
   * (the image's, with the container's env, user and working dir) overridden as Docker's commit
   * does, plus the new layer.
   */
  static byte[] committed(byte[] base, ContainerConfig container, CommitSpec spec, String diffId)
      throws IOException {
    ObjectNode root = parse(base);
    ObjectNode c = root.with("config");
    c.set("Cmd", array(spec.cmd()));
    c.set("Entrypoint", array(spec.entrypoint())); // [] as Docker writes it: none
    c.put("User", spec.user());
    c.set("Env", array(spec.env().isEmpty() ? container.env() : mergeEnv(spec.env(), container.env())));
    c.put("WorkingDir", container.workingDir());
    Map<String, String> labels = new TreeMap<>();
    c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    labels.putAll(spec.labels());
    ObjectNode l = JSON.createObjectNode();
    labels.forEach(l::put);
    c.set("Labels", l);
    String now = Instant.now().toString();
    root.put("created", now);
    root.remove("container");
    root.remove("container_config");
    ObjectNode rootfs = root.with("rootfs");
    rootfs.put("type", "layers");
    rootfs.withArray("diff_ids").add(diffId);
    ObjectNode history = JSON.createObjectNode();
    history.put("created", now);
    history.put("created_by", "s2i commit (oci engine)");
    root.withArray("history").add(history);
    return JSON.writeValueAsBytes(root);
  }

  /** What a container ran with, as far as a commit inherits it. */
  record ContainerConfig(List<String> env, String workingDir) {}

  private static ArrayNode array(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }
}
