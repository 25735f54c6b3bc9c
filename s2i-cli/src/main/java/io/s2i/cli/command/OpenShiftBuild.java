package io.s2i.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OpenShift {@code Build} (build.openshift.io/v1, JSON) as OpenShift's builder image reads it
 * from {@code BUILD}, turned into the arguments of {@code s2i build}: a Source build of a Git
 * source ({@code spec.source.git.uri}, {@code ref}, {@code contextDir}; {@code spec.revision}'s
 * commit when set), the builder from {@code sourceStrategy.from} (a {@code DockerImage}), its
 * {@code env}, {@code scripts}, {@code incremental} and {@code forcePull}, and the output
 * ({@code status.outputDockerImageReference}, else {@code spec.output.to} as a
 * {@code DockerImage}) pushed with {@code output.imageLabels}; the build runs in the pod's network,
 * as OpenShift's builds do. Anything the build asks for that
 * s2i would not do is refused by name rather than skipped.
 *
 * @param name the build's {@code metadata.namespace/name}, for messages
 * @param source the Git URI
 * @param ref the commit or ref to build, if given
 * @param contextDir the source's context dir, if given
 * @param builder the builder image
 * @param env the strategy's environment
 * @param scripts the strategy's scripts URL, if given
 * @param incremental whether to build incrementally
 * @param forcePull whether to pull the builder every time
 * @param output the image to push, if the build has an output
 * @param labels the output's image labels
 * @param buildOnly the names of {@code env} whose values the image must not keep (annotation
 *     {@value #BUILD_ONLY_ANNOTATION}, comma-separated: s2i's build service marks its secret
 *     variables so)
 */
record OpenShiftBuild(String name, String source, Optional<String> ref, Optional<String> contextDir, String builder,
    List<Map.Entry<String, String>> env, Optional<String> scripts, boolean incremental, boolean forcePull,
    Optional<String> output, List<Map.Entry<String, String>> labels, java.util.Set<String> buildOnly) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The annotation naming the build-only variables of {@code env}. */
  static final String BUILD_ONLY_ANNOTATION = "s2i.io/build-only-env";

  OpenShiftBuild {
    env = List.copyOf(env);
    labels = List.copyOf(labels);
    buildOnly = java.util.Set.copyOf(buildOnly);
  }

  /** Reads a Build object; a document s2i cannot honour is a one-line error naming the field. */
  static OpenShiftBuild parse(String json) throws S2iException {
    JsonNode build;
    try {
      build = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("BUILD is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("BUILD cannot be read: " + e.getMessage());
    }
    if (build == null || !build.isObject()) {
      throw invalid("BUILD is not a JSON object");
    }
    String kind = build.path("kind").asText("Build");
    String apiVersion = build.path("apiVersion").asText("build.openshift.io/v1");
    if (!kind.equals("Build") || !(apiVersion.equals("build.openshift.io/v1") || apiVersion.equals("v1"))) {
      throw invalid("BUILD is a " + apiVersion + " " + kind + ", not a build.openshift.io/v1 Build");
    }
    JsonNode meta = build.path("metadata");
    String name = (meta.path("namespace").isTextual() ? meta.get("namespace").asText() + "/" : "")
        + meta.path("name").asText("build");
    JsonNode spec = build.path("spec");
    JsonNode src = spec.path("source");
    String sourceType = src.path("type").asText(src.has("git") ? "Git" : "None");
    if (!sourceType.equals("Git")) {
      throw invalid("spec.source.type " + sourceType + " is not supported here: s2i builds a Git source"
          + (sourceType.equals("Binary") ? " (binary input goes to the build service's upload)" : ""));
    }
    String uri = text(src.path("git"), "uri").orElseThrow(() -> invalid("spec.source.git.uri is missing"));
    for (String unsupported : List.of("secrets", "configMaps", "images")) {
      if (src.path(unsupported).size() > 0) {
        throw invalid("spec.source." + unsupported + " is not supported by s2i's builder image");
      }
    }
    Optional<String> ref = text(spec.path("revision").path("git"), "commit").or(() -> text(src.path("git"), "ref"));
    Optional<String> contextDir = text(src, "contextDir");

    JsonNode strategy = spec.path("strategy");
    String strategyType = strategy.path("type").asText(strategy.has("sourceStrategy") ? "Source" : "");
    if (!strategyType.equals("Source") || !strategy.path("sourceStrategy").isObject()) {
      throw invalid("spec.strategy.type " + (strategyType.isEmpty() ? "(none)" : strategyType)
          + " is not supported: s2i runs Source builds (spec.strategy.sourceStrategy)");
    }
    JsonNode ss = strategy.get("sourceStrategy");
    JsonNode from = ss.path("from");
    String fromKind = from.path("kind").asText("DockerImage");
    if (!fromKind.equals("DockerImage")) {
      throw invalid("spec.strategy.sourceStrategy.from is a " + fromKind + "; give a DockerImage pull spec"
          + " (OpenShift resolves image streams before the build pod starts)");
    }
    String builder = text(from, "name").orElseThrow(() -> invalid("spec.strategy.sourceStrategy.from.name is missing"));
    List<Map.Entry<String, String>> env = new ArrayList<>();
    for (JsonNode e : ss.path("env")) {
      String n = e.path("name").asText("");
      if (n.isEmpty()) {
        throw invalid("an entry of spec.strategy.sourceStrategy.env has no name");
      }
      if (e.has("valueFrom")) {
        throw invalid("spec.strategy.sourceStrategy.env " + n + " uses valueFrom, which only the cluster can resolve;"
            + " give a value");
      }
      env.add(Map.entry(n, e.path("value").asText("")));
    }
    if (ss.path("volumes").size() > 0) {
      throw invalid("spec.strategy.sourceStrategy.volumes is not supported by s2i's builder image");
    }
    if (spec.path("postCommit").size() > 0) {
      throw invalid("spec.postCommit is not supported by s2i's builder image");
    }
    Optional<String> output = text(build.path("status"), "outputDockerImageReference");
    JsonNode to = spec.path("output").path("to");
    if (output.isEmpty() && to.isObject()) {
      String toKind = to.path("kind").asText("DockerImage");
      if (!toKind.equals("DockerImage")) {
        throw invalid("spec.output.to is a " + toKind + " and status.outputDockerImageReference is not set;"
            + " give a DockerImage name");
      }
      output = Optional.of(text(to, "name").orElseThrow(() -> invalid("spec.output.to.name is missing")));
    }
    List<Map.Entry<String, String>> labels = new ArrayList<>();
    for (JsonNode l : spec.path("output").path("imageLabels")) {
      labels.add(Map.entry(l.path("name").asText(""), l.path("value").asText("")));
    }
    java.util.Set<String> buildOnly = new java.util.HashSet<>();
    for (String n : meta.path("annotations").path(BUILD_ONLY_ANNOTATION).asText("").split(",")) {
      if (!n.isBlank()) {
        buildOnly.add(n.strip());
      }
    }
    return new OpenShiftBuild(name, uri, ref, contextDir, builder, env, text(ss, "scripts"),
        ss.path("incremental").asBoolean(false), ss.path("forcePull").asBoolean(false), output, labels, buildOnly);
  }

  /** The arguments of {@code s2i build} for this build, after {@code build}. */
  List<String> buildArguments() {
    List<String> args = new ArrayList<>(List.of(source, builder));
    output.ifPresent(args::add);
    ref.ifPresent(r -> args.addAll(List.of("--ref", r)));
    contextDir.ifPresent(d -> args.addAll(List.of("--context-dir", d)));
    env.forEach(e -> args.addAll(List.of(buildOnly.contains(e.getKey()) ? "--build-env" : "-e",
        e.getKey() + "=" + e.getValue())));
    labels.forEach(l -> args.addAll(List.of("--label", l.getKey() + "=" + l.getValue())));
    scripts.ifPresent(s -> args.addAll(List.of("--scripts-url", s)));
    if (incremental) {
      args.add("--incremental");
    }
    args.addAll(List.of("--pull-policy", forcePull ? "always" : "if-not-present"));
    // As OpenShift's builds: the build uses the build pod's network.
    args.addAll(List.of("--network", "host"));
    if (output.isPresent()) {
      args.add("--push");
    }
    return args;
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
  }

  private static S2iException invalid(String what) {
    return new S2iException(FailureReason.INVALID_REQUEST, what,
        "give a build.openshift.io/v1 Build with a Git source and a Source strategy", null);
  }
}
