package io.s2i.engine.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Dockerfile instruction as Docker's parser splits it: the keyword, the {@code --name=value}
 * flags that follow it, and the rest of the line. ONBUILD triggers are stored in an image config
 * as exactly such lines (continuations already joined), and {@link #parseDockerfile} reads a whole
 * Dockerfile (comments, line continuations and the {@code escape} directive) into them.
 *
 * @param keyword the instruction, upper case ({@code COPY})
 * @param flags the flags in order, without their dashes ({@code chown -> 1001:0}); a flag given
 *     without a value maps to {@code ""}
 * @param rest the arguments as written, trimmed
 * @param text the instruction as written (for messages and the image history)
 */
record DockerfileInstruction(String keyword, Map<String, String> flags, String rest, String text) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern WHITESPACE = Pattern.compile("[ \t\r\n\f]+");
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*");

  DockerfileInstruction {
    flags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags));
  }

  /** A Dockerfile line that is not an instruction Docker could parse. */
  static class SyntaxException extends IOException {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  /** Parses one instruction line (an ONBUILD trigger, or a joined Dockerfile line). */
  static DockerfileInstruction parse(String line) throws SyntaxException {
    String text = line.strip();
    if (text.isEmpty()) {
      throw new SyntaxException("empty instruction");
    }
    String[] kw = WHITESPACE.split(text, 2);
    String keyword = kw[0].toUpperCase(java.util.Locale.ROOT);
    if (!keyword.matches("[A-Z]+")) {
      throw new SyntaxException("unknown instruction: " + kw[0]);
    }
    String rest = kw.length > 1 ? kw[1].strip() : "";
    Map<String, String> flags = new LinkedHashMap<>();
    // Flags are words starting with "--" at the start of the arguments; "--" alone ends them.
    while (rest.startsWith("--")) {
      String[] split = WHITESPACE.split(rest, 2);
      String flag = split[0].substring(2);
      rest = split.length > 1 ? split[1].strip() : "";
      if (flag.isEmpty()) {
        break;
      }
      int eq = flag.indexOf('=');
      String name = eq < 0 ? flag : flag.substring(0, eq);
      if (!name.matches("[a-z][a-z0-9-]*")) {
        throw new SyntaxException(keyword + ": invalid flag --" + flag);
      }
      flags.put(name, eq < 0 ? "" : flag.substring(eq + 1));
    }
    return new DockerfileInstruction(keyword, flags, rest, text);
  }

  /**
   * The instructions of a Dockerfile: parser directives ({@code # escape=`}) at the top, comment
   * and empty lines skipped, lines ending in the escape character joined with the next (comment
   * lines inside a continuation are dropped, as Docker does).
   */
  static List<DockerfileInstruction> parseDockerfile(String dockerfile) throws SyntaxException {
    char escape = '\\';
    List<DockerfileInstruction> out = new ArrayList<>();
    String[] lines = dockerfile.split("\r?\n", -1);
    boolean directives = true;
    StringBuilder current = null;
    for (String raw : lines) {
      String trimmed = raw.strip();
      if (directives) {
        var m = DIRECTIVE.matcher(trimmed);
        if (m.matches()) {
          if (m.group(1).equalsIgnoreCase("escape")) {
            String v = m.group(2);
            if (!v.equals("\\") && !v.equals("`")) {
              throw new SyntaxException("invalid escape directive \"" + v + "\": use \\ or `");
            }
            escape = v.charAt(0);
          }
          continue;
        }
        directives = false;
      }
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue; // comments and empty lines, also inside a continuation
      }
      String stripped = raw.stripTrailing();
      boolean continues = !stripped.isEmpty() && stripped.charAt(stripped.length() - 1) == escape
          && !endsWithEscapedEscape(stripped, escape);
      String content = continues ? stripped.substring(0, stripped.length() - 1) : raw;
      if (current == null) {
        current = new StringBuilder(content.stripLeading());
      } else {
        current.append(content);
      }
      if (!continues) {
        if (!current.toString().isBlank()) {
          out.add(parse(current.toString()));
        }
        current = null;
      }
    }
    if (current != null && !current.toString().isBlank()) {
      out.add(parse(current.toString()));
    }
    return out;
  }

  // "\\" at the very end of a line is an escaped escape, not a continuation (as in Docker's
  // line-continuation regexp, which needs an odd number of escape characters).
  private static boolean endsWithEscapedEscape(String line, char escape) {
    int n = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == escape; i--) {
      n++;
    }
    return n % 2 == 0;
  }

  /**
   * The arguments in exec (JSON) form, when the rest is a JSON array of strings; empty for the
   * shell form (also for a rest that only looks like JSON, as Docker treats it).
   */
  Optional<List<String>> jsonArgs() {
    if (!rest.startsWith("[")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(rest);
      if (node == null || !node.isArray()) {
        return Optional.empty();
      }
      List<String> out = new ArrayList<>();
      for (JsonNode n : node) {
        if (!n.isTextual()) {
          return Optional.empty();
        }
        out.add(n.asText());
      }
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The rest split on whitespace (Docker's parser for COPY, ADD, EXPOSE, VOLUME in shell form). */
  List<String> fields() {
    return rest.isEmpty() ? List.of() : List.of(WHITESPACE.split(rest));
  }

  /**
   * The {@code name=value} pairs of ENV and LABEL (values still quoted: expand them with
   * {@link DockerfileWords#word}), or the legacy {@code ENV name value} form, whose value is the
   * rest of the line.
   */
  List<Map.Entry<String, String>> nameValues() throws SyntaxException {
    List<String> words = DockerfileWords.splitKeepingQuotes(rest);
    if (words.isEmpty()) {
      throw new SyntaxException(keyword + " requires at least one argument");
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (!words.get(0).contains("=")) {
      String[] legacy = WHITESPACE.split(rest, 2);
      if (legacy.length < 2) {
        throw new SyntaxException(keyword + " must have two arguments: " + text);
      }
      out.add(Map.entry(legacy[0], legacy[1].strip()));
      return out;
    }
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq <= 0) {
        throw new SyntaxException("syntax error in " + keyword + " - can't find = in \"" + w
            + "\"; it must be of the form name=value");
      }
      out.add(Map.entry(w.substring(0, eq), w.substring(eq + 1)));
    }
    return out;
  }
}
