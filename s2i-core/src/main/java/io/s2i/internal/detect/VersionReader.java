package io.s2i.internal.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the version a source asks for from one place it may record it. */
@FunctionalInterface
interface VersionReader {
  ObjectMapper JSON = new ObjectMapper();

  /** The version found, or empty when this place does not exist or names none. */
  Optional<FoundVersion> read(String language, TopDirectory top);

  /** The whole (first line of the) file is the version: {@code .python-version}, {@code .nvmrc}. */
  static VersionReader wholeFile(String file) {
    return (language, top) -> top.read(file).flatMap(text -> text.lines()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst())
        .flatMap(line -> found(language, line, file));
  }

  /** The first match of {@code regex}'s group 1 in {@code file}. */
  static VersionReader pattern(String file, String what, String regex) {
    Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
    return (language, top) -> top.read(file).flatMap(text -> {
      Matcher m = p.matcher(text);
      return m.find() ? found(language, m.group(1), what) : Optional.empty();
    });
  }

  /** A string at a path of a JSON file: {@code package.json} {@code engines.node}. */
  static VersionReader json(String file, String... path) {
    String what = file + " " + String.join(".", path);
    return (language, top) -> top.read(file).flatMap(text -> {
      JsonNode node;
      try {
        node = JSON.readTree(stripJsonComments(text));
      } catch (Exception e) {
        return Optional.empty();
      }
      for (String key : path) {
        node = node == null ? null : node.get(key);
      }
      return node != null && node.isValueNode() ? found(language, node.asText(), what) : Optional.empty();
    });
  }

  /** {@code deno.jsonc}, {@code global.json}: JSON that may carry comments. */
  private static String stripJsonComments(String text) {
    return text.replaceAll("(?m)^\\s*//.*$", "");
  }

  private static Optional<FoundVersion> found(String language, String text, String where) {
    String constraint = text.strip();
    return Versions.normalise(language, constraint).map(v -> new FoundVersion(v, where, constraint));
  }
}
