package io.s2i.engine.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's word rules for Dockerfile arguments: variable substitution ({@code $NAME},
 * {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:+alternative}}) from the build's
 * environment, single and double quotes and backslash escapes, removed as a shell would. Used for
 * the instructions Docker expands (ENV, LABEL, COPY, ADD, WORKDIR, USER, EXPOSE, VOLUME,
 * STOPSIGNAL, ARG); RUN, CMD and ENTRYPOINT are left to the shell in the container.
 */
final class DockerfileWords {
  private static final int EOF = -1;
  private final String text;
  private final Function<String, String> env;
  private int pos;

  private DockerfileWords(String text, Function<String, String> env) {
    this.text = text;
    this.env = env;
  }

  /** A substitution or quoting error; the message says which. */
  static final class WordException extends DockerfileInstruction.SyntaxException {
    private static final long serialVersionUID = 1L;

    WordException(String message) {
      super(message);
    }
  }

  /** {@code word} expanded and unquoted, as one word (spaces kept). */
  static String word(String word, Function<String, String> env) throws WordException {
    DockerfileWords w = new DockerfileWords(word, env);
    Words words = new Words();
    return w.process(EOF, words);
  }

  /** {@code text} expanded and unquoted, split into words at unquoted whitespace. */
  static List<String> words(String text, Function<String, String> env) throws WordException {
    DockerfileWords w = new DockerfileWords(text, env);
    Words words = new Words();
    w.process(EOF, words);
    return words.finish();
  }

  /**
   * Splits {@code rest} at whitespace outside quotes, keeping quotes and escapes in the words (how
   * Docker's parser reads ENV and LABEL pairs before expanding each).
   */
  static List<String> splitKeepingQuotes(String rest) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    int quote = 0;
    int i = 0;
    while (i < rest.length()) {
      int ch = rest.codePointAt(i);
      i += Character.charCount(ch);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else if (ch == '\\' && quote != '\'') {
          if (i >= rest.length()) {
            continue; // an escape at the very end is dropped
          }
          word.appendCodePoint(ch);
          ch = rest.codePointAt(i);
          i += Character.charCount(ch);
        }
        word.appendCodePoint(ch);
        continue;
      }
      if (Character.isWhitespace(ch)) {
        if (inWord && (blankOk || word.length() > 0)) {
          out.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
        blankOk = false;
        continue;
      }
      inWord = true;
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOk = true;
      } else if (ch == '\\') {
        if (i >= rest.length()) {
          continue;
        }
        word.appendCodePoint(ch);
        ch = rest.codePointAt(i);
        i += Character.charCount(ch);
      }
      word.appendCodePoint(ch);
    }
    if (inWord && (blankOk || word.length() > 0)) {
      out.add(word.toString());
    }
    return out;
  }

  private int peek() {
    return pos < text.length() ? text.codePointAt(pos) : EOF;
  }

  private int next() {
    if (pos >= text.length()) {
      return EOF;
    }
    int ch = text.codePointAt(pos);
    pos += Character.charCount(ch);
    return ch;
  }

  /** Processes up to {@code stop} (consumed) or the end; collects words into {@code words}. */
  private String process(int stop, Words words) throws WordException {
    StringBuilder result = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (stop != EOF && ch == stop) {
        next();
        return result.toString();
      }
      if (ch == '\'') {
        String s = singleQuoted();
        result.append(s);
        words.addQuoted(s);
      } else if (ch == '"') {
        String s = doubleQuoted();
        result.append(s);
        words.addQuoted(s);
      } else if (ch == '$') {
        String s = dollar();
        result.append(s);
        words.addExpanded(s);
      } else {
        next();
        if (ch == '\\') {
          ch = next();
          if (ch == EOF) {
            break; // a backslash at the end is dropped
          }
          words.addQuoted(new String(Character.toChars(ch)));
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
    }
    if (stop != EOF) {
      throw new WordException("unexpected end of statement while looking for matching "
          + new String(Character.toChars(stop)) + " in " + text);
    }
    return result.toString();
  }

  private String singleQuoted() throws WordException {
    next();
    StringBuilder sb = new StringBuilder();
    while (true) {
      int ch = next();
      if (ch == EOF) {
        throw new WordException("unexpected end of statement while looking for matching single-quote in " + text);
      }
      if (ch == '\'') {
        return sb.toString();
      }
      sb.appendCodePoint(ch);
    }
  }

  private String doubleQuoted() throws WordException {
    next();
    StringBuilder sb = new StringBuilder();
    while (true) {
      int ch = peek();
      if (ch == EOF) {
        throw new WordException("unexpected end of statement while looking for matching double-quote in " + text);
      }
      if (ch == '"') {
        next();
        return sb.toString();
      }
      if (ch == '$') {
        sb.append(dollar());
        continue;
      }
      next();
      if (ch == '\\') {
        int after = peek();
        if (after == EOF) {
          continue;
        }
        if (after == '"' || after == '$' || after == '\\') {
          ch = next(); // only these are escaped; other backslashes stay
        }
      }
      sb.appendCodePoint(ch);
    }
  }

  private String dollar() throws WordException {
    next();
    if (peek() != '{') {
      String name = name();
      return name.isEmpty() ? "$" : value(name);
    }
    next();
    int first = peek();
    if (first == EOF) {
      throw new WordException("syntax error: missing '}' in " + text);
    }
    if (first == '{' || first == '}' || first == ':') {
      throw new WordException("syntax error: bad substitution in " + text);
    }
    String name = name();
    int ch = next();
    if (ch == '}') {
      return value(name);
    }
    if (ch == EOF) {
      throw new WordException("syntax error: missing '}' in " + text);
    }
    boolean colon = ch == ':';
    int modifier = colon ? next() : ch;
    if (modifier != '-' && modifier != '+') {
      throw new WordException("unsupported modifier (" + (modifier == EOF ? "end" : new String(Character.toChars(modifier)))
          + ") in substitution in " + text);
    }
    String word = process('}', new Words());
    String current = env.apply(name);
    boolean set = current != null && (!colon || !current.isEmpty());
    if (modifier == '-') {
      return set ? current : word;
    }
    return set ? word : "";
  }

  private String name() {
    StringBuilder name = new StringBuilder();
    while (peek() != EOF) {
      int ch = peek();
      if (name.length() == 0 && Character.isDigit(ch)) {
        while (peek() != EOF && Character.isDigit(peek())) {
          name.appendCodePoint(next());
        }
        return name.toString();
      }
      if (!Character.isLetterOrDigit(ch) && ch != '_') {
        break;
      }
      name.appendCodePoint(next());
    }
    return name.toString();
  }

  private String value(String name) {
    String v = env.apply(name);
    return v == null ? "" : v;
  }

  /** Words being split: unquoted whitespace separates, quoted text never does. */
  private static final class Words {
    private final List<String> done = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;

    void addChar(int ch) {
      if (Character.isWhitespace(ch)) {
        if (inWord && word.length() > 0) {
          done.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.appendCodePoint(ch);
        inWord = true;
      }
    }

    void addExpanded(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addQuoted(String s) {
      word.append(s);
      inWord = true;
    }

    List<String> finish() {
      if (word.length() > 0) {
        done.add(word.toString());
      }
      return done;
    }
  }
}
