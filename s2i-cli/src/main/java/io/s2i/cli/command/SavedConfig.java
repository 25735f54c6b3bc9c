package io.s2i.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.EventSink;
import io.s2i.cli.S2iCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code --use-config}: upstream's {@code .s2ifile} in the current directory,
 * {@code {"source":..,"builderImage":..,"tag":..,"flags":{"<flag>":"<value>"}}}. Restoring
 * re-parses the command line with every stored flag the user did not give (and the stored
 * {@code env-N} values unless {@code -e} was given); saving stores every flag given.
 */
final class SavedConfig {
  static final String FILE = ".s2ifile";
  static final String LEGACY_FILE = ".stifile";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SavedConfig() {}

  /**
   * Re-parses {@code build}'s command line with the stored configuration applied and returns the
   * resulting command, ready to run; {@code current} itself when there is nothing to restore.
   */
  static BuildCommand restore(BuildCommand current, CommandSpec spec, Path dir, EventSink events) {
    JsonNode saved = read(dir, events);
    if (saved == null) {
      return current;
    }
    ParseResult parsed = spec.commandLine().getParseResult();
    List<String> args = new ArrayList<>(spec.root().commandLine().getParseResult().originalArgs());
    JsonNode flags = saved.path("flags");
    List<String> envs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = flags.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> flag = it.next();
      String name = flag.getKey();
      String value = flag.getValue().asText();
      if (name.equals("env") || name.matches("env-\\d+")) {
        continue;
      }
      OptionSpec option = spec.findOption("--" + name);
      if (option == null || parsed.hasMatchedOption(option)) {
        if (option == null) {
          events.detail("Ignoring unknown flag \"" + name + "\" in " + FILE);
        }
        continue;
      }
      args.addAll(asArgs(option, value));
    }
    if (!parsed.hasMatchedOption("--env")) {
      TreeMap<Integer, String> numbered = new TreeMap<>();
      flags.fields().forEachRemaining(f -> {
        if (f.getKey().matches("env-\\d+")) {
          numbered.put(Integer.parseInt(f.getKey().substring(4)), f.getValue().asText());
        }
      });
      envs.addAll(numbered.values());
      if (envs.isEmpty() && flags.hasNonNull("env")) {
        for (String e : flags.get("env").asText().split(",")) {
          if (!e.isBlank()) {
            envs.add(e);
          }
        }
      }
      envs.forEach(e -> args.add("--env=" + e));
    }
    CommandLine fresh = S2iCli.commandLine();
    ParseResult reparsed = fresh.parseArgs(args.toArray(String[]::new));
    BuildCommand restored = (BuildCommand) reparsed.subcommand().commandSpec().userObject();
    restored.configRestored = true;
    // Upstream: two or more positional arguments replace the stored ones; fewer are ignored.
    if (current.source == null || current.builder == null) {
      restored.source = text(saved, "source");
      restored.builder = text(saved, "builderImage");
      restored.tag = text(saved, "tag");
    } else if (current.tag == null) {
      restored.tag = text(saved, "tag");
    }
    return restored;
  }

  private static List<String> asArgs(OptionSpec option, String value) {
    String name = option.longestName();
    if (option.arity().max() == 0) {
      return Boolean.parseBoolean(value) ? List.of(name) : List.of();
    }
    if (option.isMultiValue()) {
      String inner = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
      List<String> out = new ArrayList<>();
      for (String v : inner.split(",")) {
        if (!v.isEmpty()) {
          out.add(name + "=" + v);
        }
      }
      return out;
    }
    return List.of(name + "=" + value);
  }

  private static String text(JsonNode saved, String field) {
    JsonNode n = saved.get(field);
    return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
  }

  private static JsonNode read(Path dir, EventSink events) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      Path legacy = dir.resolve(LEGACY_FILE);
      if (!Files.exists(legacy)) {
        events.detail("No " + FILE + " to restore the configuration from");
        return null;
      }
      events.info("DEPRECATED: Use " + FILE + " instead of " + LEGACY_FILE);
      file = legacy;
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      events.warn("could not restore the configuration from " + file + ": " + e.getMessage());
      return null;
    }
  }

  /** Writes {@code .s2ifile} with the positional values as typed and every flag given. */
  static void save(CommandSpec spec, BuildCommand cmd, Path dir, EventSink events) {
    ParseResult parsed = spec.commandLine().getParseResult();
    Map<String, String> flags = new TreeMap<>();
    for (OptionSpec option : spec.options()) {
      if (option.inherited() || option.usageHelp() || !parsed.hasMatchedOption(option)) {
        continue;
      }
      String name = option.longestName().replaceFirst("^-+", "");
      if (name.equals("build-env")) {
        continue; // secrets: never written to a file in the source
      }
      List<String> values = parsed.matchedOption(option.longestName()).stringValues();
      if (name.equals("env")) {
        for (int i = 0; i < values.size(); i++) {
          flags.put("env-" + i, values.get(i));
        }
      } else if (option.arity().max() == 0) {
        flags.put(name, "true");
      } else if (option.isMultiValue()) {
        flags.put(name, "[" + String.join(",", values) + "]");
      } else {
        flags.put(name, values.isEmpty() ? "" : values.get(values.size() - 1));
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("source", cmd.source == null ? "" : cmd.source);
    root.put("builderImage", cmd.builder == null ? "" : cmd.builder);
    root.put("tag", cmd.tag == null ? "" : cmd.tag);
    ObjectNode f = root.putObject("flags");
    flags.forEach(f::put);
    Path file = dir.resolve(FILE);
    try {
      Files.writeString(file, JSON.writeValueAsString(root));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      events.detail("Saved the configuration in " + file);
    } catch (IOException e) {
      events.warn("could not save the configuration in " + file + ": " + e.getMessage());
    }
  }
}
