package io.s2i.cli.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.Detection;
import io.s2i.api.Detection.BuilderCandidate;
import io.s2i.api.Detection.DetectedLanguage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Shows a {@link Detection}: as text for people, as JSON for machines ({@code -o json}). */
public final class DetectionRenderer {
  private DetectionRenderer() {}

  /** The text report, one fact a line. */
  public static String text(Detection d) {
    StringBuilder out = new StringBuilder();
    line(out, "Source", d.source() + " (" + lower(d.input()) + ")");
    if (d.languages().isEmpty()) {
      line(out, "Languages", "none detected");
    } else {
      line(out, "Languages", "");
      int i = 1;
      for (DetectedLanguage l : d.languages()) {
        out.append("  ").append(i++).append(". ").append(l.language())
            .append(l.version().map(v -> " " + v).orElse(""))
            .append("  (").append(l.marker())
            .append(l.versionSource().map(s -> "; version from " + s
                + l.versionConstraint().filter(c -> !c.equals(l.version().orElse(""))).map(c -> ": " + c).orElse(""))
                .orElse(""))
            .append(")\n");
      }
    }
    String strategy = lower(d.strategy()) + d.dockerfile()
        .map(f -> " (" + f.file() + f.from().map(from -> ", FROM " + from).orElse("") + ")").orElse("");
    line(out, "Strategy", strategy);
    if (d.builder().isPresent()) {
      Detection.BuilderChoice b = d.builder().get();
      boolean docker = d.strategy() == Detection.Strategy.DOCKER;
      line(out, "Builder", b.image() + (docker ? " (for --strategy source)" : ""));
      line(out, "Why", b.reason());
      if (!b.others().isEmpty()) {
        line(out, "Others", String.join(", ", b.others().stream().limit(5).map(DetectionRenderer::candidate).toList())
            + (b.others().size() > 5 ? ", ..." : ""));
      }
    } else {
      line(out, "Builder", "none");
    }
    d.problem().ifPresent(p -> {
      if (!p.candidates().isEmpty()) {
        line(out, "Tied", String.join(", ", p.candidates().stream().map(DetectionRenderer::candidate).toList()));
      }
    });
    return out.toString();
  }

  private static String candidate(BuilderCandidate c) {
    return c.image() + " [" + c.language() + c.version().map(v -> ":" + v).orElse("") + ", " + c.origin() + "]";
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append(String.format(Locale.ROOT, "%-10s %s", key + ":", value).stripTrailing()).append('\n');
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** The report as a JSON document. */
  public static String json(Detection d) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("source", d.source());
    root.put("input", lower(d.input()));
    ArrayNode languages = root.putArray("languages");
    for (DetectedLanguage l : d.languages()) {
      ObjectNode n = languages.addObject();
      n.put("language", l.language());
      n.put("marker", l.marker());
      put(n, "version", l.version());
      put(n, "versionSource", l.versionSource());
      put(n, "versionConstraint", l.versionConstraint());
      n.put("term", l.term());
    }
    root.put("strategy", lower(d.strategy()));
    if (d.dockerfile().isPresent()) {
      ObjectNode f = root.putObject("dockerfile");
      f.put("file", d.dockerfile().get().file());
      put(f, "from", d.dockerfile().get().from());
    } else {
      root.putNull("dockerfile");
    }
    if (d.builder().isPresent()) {
      Detection.BuilderChoice b = d.builder().get();
      ObjectNode n = root.putObject("builder");
      n.put("image", b.image());
      n.put("language", b.language());
      put(n, "version", b.candidate().version());
      n.put("origin", b.candidate().origin());
      n.put("match", lower(b.candidate().match()));
      n.put("reason", b.reason());
      candidates(n.putArray("others"), b.others());
    } else {
      root.putNull("builder");
    }
    if (d.problem().isPresent()) {
      ObjectNode p = root.putObject("problem");
      p.put("message", d.problem().get().message());
      p.put("fix", d.problem().get().fix());
      candidates(p.putArray("candidates"), d.problem().get().candidates());
      ArrayNode markers = p.putArray("markers");
      d.markers().forEach(markers::add);
    } else {
      root.putNull("problem");
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void candidates(ArrayNode array, List<BuilderCandidate> list) {
    for (BuilderCandidate c : list) {
      ObjectNode n = array.addObject();
      n.put("image", c.image());
      n.put("language", c.language());
      put(n, "version", c.version());
      n.put("origin", c.origin());
      n.put("match", lower(c.match()));
    }
  }

  private static void put(ObjectNode n, String key, Optional<String> value) {
    if (value.isPresent()) {
      n.put(key, value.get());
    } else {
      n.putNull(key);
    }
  }
}
