package io.s2i.testing.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code /bin/sh} of fake images: enough of the POSIX shell to run the commands s2i gives its
 * containers and small test scripts. Lists with {@code ;}, {@code &} and newlines, {@code &&} and
 * {@code ||}, {@code !}, subshells {@code ( )}, groups <code>{ }</code>, {@code if}, single and
 * double quotes, backslash escapes, {@code $name}, <code>${name}</code>, <code>${name:-word}</code>,
 * {@code $?}, {@code $!}, {@code $#}, {@code $0}-{@code $9}, {@code $@}; redirections
 * {@code <}, {@code >}, {@code >>}, {@code N>&M}; assignments; and the builtins {@code :},
 * {@code true}, {@code false}, {@code exit}, {@code exec}, {@code wait}, {@code read},
 * {@code [}/{@code test}, {@code echo}, {@code printf}, {@code cd}, {@code pwd}, {@code set -e},
 * {@code export}, {@code unset}. Other commands run as executables of the container's files, as
 * {@code dash} does, including "not found" (status 127) in {@code dash}'s words. Pipes, globbing,
 * loops and command substitution are not supported: a script using them fails with status 2.
 */
final class FakeShell implements FakeProgram {
  private static final AtomicInteger PIDS = new AtomicInteger(100);

  @Override
  public int run(FakeProcess process) throws InterruptedException {
    List<String> args = process.args();
    int i = 1;
    boolean errexit = false;
    while (i < args.size() && args.get(i).startsWith("-") && !args.get(i).equals("-c")) {
      errexit |= args.get(i).contains("e");
      i++;
    }
    String text;
    String name;
    List<String> positional = new ArrayList<>();
    try {
      if (i < args.size() && args.get(i).equals("-c")) {
        if (i + 1 >= args.size()) {
          process.err("sh: 0: -c requires an argument");
          return 2;
        }
        text = args.get(i + 1);
        name = i + 2 < args.size() ? args.get(i + 2) : "sh";
        if (i + 3 < args.size()) {
          positional.addAll(args.subList(i + 3, args.size()));
        }
      } else if (i < args.size()) {
        name = args.get(i);
        try {
          text = process.readFile(name);
        } catch (IOException e) {
          process.err("sh: 0: cannot open " + name + ": No such file");
          return 2;
        }
        positional.addAll(args.subList(i + 1, args.size()));
      } else {
        name = "sh";
        text = new String(process.stdin().readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return 2;
    }
    Shell shell = new Shell(process, name, positional);
    shell.errexit = errexit;
    Node program;
    try {
      program = new Parser(new Lexer(text).tokens()).program();
    } catch (SyntaxError e) {
      shell.error(e.line, "Syntax error: " + e.getMessage());
      return 2;
    }
    try {
      return shell.run(program);
    } catch (ExitException e) {
      return e.status;
    }
  }

  // ---- tokens -------------------------------------------------------------------------------

  private enum Kind { WORD, OP, IO_NUMBER, NEWLINE, EOF }

  /** A word is made of parts; a part is literal text or a parameter, quoted or not. */
  private record Part(String text, String param, String op, List<Part> operand, boolean quoted) {
    static Part literal(String text, boolean quoted) {
      return new Part(text, null, null, null, quoted);
    }
  }

  private record Token(Kind kind, String text, List<Part> parts, int line) {
    boolean isOp(String op) {
      return kind == Kind.OP && text.equals(op);
    }

    /** An unquoted literal word, as keywords are. */
    boolean isWord(String word) {
      return kind == Kind.WORD && parts.size() == 1 && parts.get(0).param() == null
          && !parts.get(0).quoted() && parts.get(0).text().equals(word);
    }
  }

  private static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;

    SyntaxError(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  private static final class Lexer {
    private final String s;
    private int pos;
    private int line = 1;

    Lexer(String s) {
      this.s = s;
    }

    List<Token> tokens() throws SyntaxError {
      List<Token> tokens = new ArrayList<>();
      while (true) {
        skipBlanks();
        if (pos >= s.length()) {
          tokens.add(new Token(Kind.EOF, "", List.of(), line));
          return tokens;
        }
        char c = s.charAt(pos);
        if (c == '#') {
          while (pos < s.length() && s.charAt(pos) != '\n') {
            pos++;
          }
          continue;
        }
        if (c == '\n') {
          tokens.add(new Token(Kind.NEWLINE, "\n", List.of(), line));
          pos++;
          line++;
          continue;
        }
        String op = operator();
        if (op != null) {
          tokens.add(new Token(Kind.OP, op, List.of(), line));
          continue;
        }
        if (Character.isDigit(c)) {
          int end = pos;
          while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
          }
          if (end < s.length() && (s.charAt(end) == '>' || s.charAt(end) == '<')) {
            tokens.add(new Token(Kind.IO_NUMBER, s.substring(pos, end), List.of(), line));
            pos = end;
            continue;
          }
        }
        tokens.add(new Token(Kind.WORD, null, word(), line));
      }
    }

    private void skipBlanks() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
          pos += 2;
          line++;
        } else {
          return;
        }
      }
    }

    private String operator() {
      for (String op : new String[] {"&&", "||", ">>", ">&", "<&", ";", "&", "|", "(", ")", "<", ">"}) {
        if (s.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      return null;
    }

    private static boolean isMeta(char c) {
      return " \t\r\n;&|()<>".indexOf(c) >= 0;
    }

    private List<Part> word() throws SyntaxError {
      List<Part> parts = new ArrayList<>();
      StringBuilder lit = new StringBuilder();
      while (pos < s.length() && !isMeta(s.charAt(pos))) {
        char c = s.charAt(pos);
        if (c == '\\') {
          if (pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
            pos += 2;
            line++;
            continue;
          }
          flush(parts, lit, false);
          if (pos + 1 < s.length()) {
            parts.add(Part.literal(String.valueOf(s.charAt(pos + 1)), true));
          }
          pos += 2;
        } else if (c == '\'') {
          flush(parts, lit, false);
          int end = s.indexOf('\'', pos + 1);
          if (end < 0) {
            throw new SyntaxError(line, "Unterminated quoted string");
          }
          String quoted = s.substring(pos + 1, end);
          line += (int) quoted.chars().filter(ch -> ch == '\n').count();
          parts.add(Part.literal(quoted, true));
          pos = end + 1;
        } else if (c == '"') {
          flush(parts, lit, false);
          pos++;
          doubleQuoted(parts);
        } else if (c == '$') {
          flush(parts, lit, false);
          parts.add(parameter(false));
        } else if (c == '`') {
          throw new SyntaxError(line, "command substitution is not supported by the fake shell");
        } else {
          lit.append(c);
          pos++;
        }
      }
      flush(parts, lit, false);
      if (parts.isEmpty()) {
        parts.add(Part.literal("", true));
      }
      return parts;
    }

    private void doubleQuoted(List<Part> parts) throws SyntaxError {
      StringBuilder lit = new StringBuilder();
      boolean any = false;
      while (true) {
        if (pos >= s.length()) {
          throw new SyntaxError(line, "Unterminated quoted string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          pos++;
          break;
        }
        if (c == '\\' && pos + 1 < s.length() && "\"\\$`\n".indexOf(s.charAt(pos + 1)) >= 0) {
          if (s.charAt(pos + 1) != '\n') {
            lit.append(s.charAt(pos + 1));
          }
          pos += 2;
        } else if (c == '$') {
          any |= flush(parts, lit, true);
          parts.add(parameter(true));
          any = true;
        } else if (c == '`') {
          throw new SyntaxError(line, "command substitution is not supported by the fake shell");
        } else {
          if (c == '\n') {
            line++;
          }
          lit.append(c);
          pos++;
        }
      }
      boolean flushed = flush(parts, lit, true);
      if (!flushed && !any) {
        parts.add(Part.literal("", true)); // "" is a word of its own
      }
    }

    private Part parameter(boolean quoted) throws SyntaxError {
      pos++; // $
      if (pos >= s.length()) {
        return Part.literal("$", quoted);
      }
      char c = s.charAt(pos);
      if (c == '{') {
        int end = s.indexOf('}', pos);
        if (end < 0) {
          throw new SyntaxError(line, "Missing '}'");
        }
        String inside = s.substring(pos + 1, end);
        pos = end + 1;
        for (String op : new String[] {":-", "-", ":="}) {
          int at = inside.indexOf(op);
          if (at > 0) {
            List<Part> operand = new Lexer(inside.substring(at + op.length())).wordOrEmpty();
            return new Part(null, inside.substring(0, at), op, operand, quoted);
          }
        }
        return new Part(null, inside, null, null, quoted);
      }
      if (c == '(') {
        throw new SyntaxError(line, "command substitution is not supported by the fake shell");
      }
      if ("?!#$@*".indexOf(c) >= 0 || Character.isDigit(c)) {
        pos++;
        return new Part(null, String.valueOf(c), null, null, quoted);
      }
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        return Part.literal("$", quoted);
      }
      return new Part(null, s.substring(start, pos), null, null, quoted);
    }

    private List<Part> wordOrEmpty() throws SyntaxError {
      return s.isEmpty() ? List.of(Part.literal("", true)) : word();
    }

    private static boolean flush(List<Part> parts, StringBuilder lit, boolean quoted) {
      if (lit.length() == 0) {
        return false;
      }
      parts.add(Part.literal(lit.toString(), quoted));
      lit.setLength(0);
      return true;
    }
  }

  // ---- syntax tree --------------------------------------------------------------------------

  private sealed interface Node permits ListNode, AndOr, Simple, Compound {}

  /** Items run in order; an item marked background runs on a thread of its own. */
  private record ListNode(List<Node> items, List<Boolean> background) implements Node {}

  /** Pipelines joined by {@code &&} ({@code true}) or {@code ||} ({@code false}). */
  private record AndOr(List<Node> pipelines, List<Boolean> and, List<Boolean> negated) implements Node {}

  private record Redirect(int fd, String op, List<Part> target, int line) {}

  private record Simple(List<List<Part>> words, List<Redirect> redirects, int line) implements Node {}

  /** A subshell, a group or an if, with redirections. */
  private record Compound(String kind, List<Node> parts, List<Redirect> redirects) implements Node {}

  private static final class Parser {
    private final List<Token> tokens;
    private int pos;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    Node program() throws SyntaxError {
      ListNode list = list(Set.of());
      if (peek().kind() != Kind.EOF) {
        throw new SyntaxError(peek().line(), "\"" + describe(peek()) + "\" unexpected");
      }
      return list;
    }

    private Token peek() {
      return tokens.get(pos);
    }

    private Token next() {
      return tokens.get(pos++);
    }

    private static String describe(Token t) {
      return t.kind() == Kind.WORD ? wordText(t.parts()) : t.text();
    }

    private static String wordText(List<Part> parts) {
      StringBuilder sb = new StringBuilder();
      parts.forEach(p -> sb.append(p.text() != null ? p.text() : "$" + p.param()));
      return sb.toString();
    }

    private void skipNewlines() {
      while (peek().kind() == Kind.NEWLINE) {
        pos++;
      }
    }

    private boolean atListEnd(Set<String> stops) {
      Token t = peek();
      if (t.kind() == Kind.EOF || t.isOp(")")) {
        return true;
      }
      for (String stop : stops) {
        if (t.isWord(stop)) {
          return true;
        }
      }
      return false;
    }

    ListNode list(Set<String> stops) throws SyntaxError {
      List<Node> items = new ArrayList<>();
      List<Boolean> background = new ArrayList<>();
      skipNewlines();
      while (!atListEnd(stops)) {
        items.add(andOr());
        boolean bg = false;
        if (peek().isOp("&")) {
          bg = true;
          next();
        } else if (peek().isOp(";") || peek().kind() == Kind.NEWLINE) {
          next();
        } else if (!atListEnd(stops)) {
          throw new SyntaxError(peek().line(), "\"" + describe(peek()) + "\" unexpected");
        }
        background.add(bg);
        skipNewlines();
      }
      return new ListNode(items, background);
    }

    private Node andOr() throws SyntaxError {
      List<Node> pipelines = new ArrayList<>();
      List<Boolean> and = new ArrayList<>();
      List<Boolean> negated = new ArrayList<>();
      while (true) {
        boolean neg = false;
        if (peek().isWord("!")) {
          next();
          neg = true;
        }
        negated.add(neg);
        pipelines.add(command());
        if (peek().isOp("|")) {
          throw new SyntaxError(peek().line(), "pipes are not supported by the fake shell");
        }
        if (peek().isOp("&&") || peek().isOp("||")) {
          and.add(next().text().equals("&&"));
          skipNewlines();
        } else {
          return new AndOr(pipelines, and, negated);
        }
      }
    }

    private Node command() throws SyntaxError {
      Token t = peek();
      if (t.isOp("(")) {
        next();
        ListNode body = list(Set.of());
        expectOp(")");
        return new Compound("subshell", List.of(body), redirects());
      }
      if (t.isWord("{")) {
        next();
        ListNode body = list(Set.of("}"));
        expectWord("}");
        return new Compound("group", List.of(body), redirects());
      }
      if (t.isWord("if")) {
        next();
        List<Node> parts = new ArrayList<>();
        parts.add(list(Set.of("then")));
        expectWord("then");
        parts.add(list(Set.of("elif", "else", "fi")));
        while (peek().isWord("elif")) {
          next();
          parts.add(list(Set.of("then")));
          expectWord("then");
          parts.add(list(Set.of("elif", "else", "fi")));
        }
        if (peek().isWord("else")) {
          next();
          parts.add(list(Set.of("fi")));
        }
        expectWord("fi");
        return new Compound("if", parts, redirects());
      }
      for (String unsupported : new String[] {"for", "while", "until", "case"}) {
        if (t.isWord(unsupported)) {
          throw new SyntaxError(t.line(), "\"" + unsupported + "\" is not supported by the fake shell");
        }
      }
      List<List<Part>> words = new ArrayList<>();
      List<Redirect> redirects = new ArrayList<>();
      int line = t.line();
      while (true) {
        Token n = peek();
        if (n.kind() == Kind.WORD) {
          words.add(next().parts());
        } else if (n.kind() == Kind.IO_NUMBER || n.isOp("<") || n.isOp(">") || n.isOp(">>")
            || n.isOp(">&") || n.isOp("<&")) {
          redirects.add(redirect());
        } else {
          break;
        }
      }
      if (words.isEmpty() && redirects.isEmpty()) {
        throw new SyntaxError(line, "\"" + describe(peek()) + "\" unexpected");
      }
      return new Simple(words, redirects, line);
    }

    private List<Redirect> redirects() throws SyntaxError {
      List<Redirect> redirects = new ArrayList<>();
      while (peek().kind() == Kind.IO_NUMBER || peek().isOp("<") || peek().isOp(">") || peek().isOp(">>")
          || peek().isOp(">&") || peek().isOp("<&")) {
        redirects.add(redirect());
      }
      return redirects;
    }

    private Redirect redirect() throws SyntaxError {
      int fd = -1;
      if (peek().kind() == Kind.IO_NUMBER) {
        fd = Integer.parseInt(next().text());
      }
      Token op = next();
      if (op.kind() != Kind.OP) {
        throw new SyntaxError(op.line(), "redirection expected");
      }
      if (fd < 0) {
        fd = op.text().startsWith("<") ? 0 : 1;
      }
      Token target = next();
      if (target.kind() != Kind.WORD) {
        throw new SyntaxError(op.line(), "Syntax error: redirection unexpected");
      }
      return new Redirect(fd, op.text(), target.parts(), op.line());
    }

    private void expectOp(String op) throws SyntaxError {
      if (!peek().isOp(op)) {
        throw new SyntaxError(peek().line(), "\"" + describe(peek()) + "\" unexpected (expecting \"" + op + "\")");
      }
      next();
    }

    private void expectWord(String word) throws SyntaxError {
      if (!peek().isWord(word)) {
        throw new SyntaxError(peek().line(), "\"" + describe(peek()) + "\" unexpected (expecting \"" + word + "\")");
      }
      next();
    }
  }

  // ---- execution ----------------------------------------------------------------------------

  /** {@code exit}: unwinds to the shell (or subshell) that runs it. */
  private static final class ExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ExitException(int status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  private static final class Shell {
    private final FakeProcess process;
    private final String name;
    private final List<String> positional;
    private final Map<String, String> vars;
    private final Set<String> exported;
    private final Map<Integer, CompletableFuture<Integer>> jobs;
    private String cwd;
    private int status;
    private int lastBackground;
    boolean errexit;
    private final InputStream[] in = new InputStream[1];
    private final OutputStream[] out = new OutputStream[3];

    Shell(FakeProcess process, String name, List<String> positional) {
      this.process = process;
      this.name = name;
      this.positional = positional;
      this.vars = new LinkedHashMap<>(process.env());
      this.exported = new LinkedHashSet<>(process.env().keySet());
      this.jobs = new HashMap<>();
      this.cwd = process.workingDir();
      vars.put("PWD", cwd);
      in[0] = process.stdin();
      out[1] = process.stdout();
      out[2] = process.stderr();
    }

    /** A copy for a subshell: variables, directory and streams copied; jobs its own. */
    private Shell(Shell parent) {
      this.process = parent.process;
      this.name = parent.name;
      this.positional = parent.positional;
      this.vars = new LinkedHashMap<>(parent.vars);
      this.exported = new LinkedHashSet<>(parent.exported);
      this.jobs = new HashMap<>();
      this.cwd = parent.cwd;
      this.status = parent.status;
      this.lastBackground = parent.lastBackground;
      this.errexit = parent.errexit;
      in[0] = parent.in[0];
      out[1] = parent.out[1];
      out[2] = parent.out[2];
    }

    void error(int line, String message) {
      try {
        out[2].write((name + ": " + line + ": " + message + "\n").getBytes(StandardCharsets.UTF_8));
        out[2].flush();
      } catch (IOException e) {
        // stderr gone
      }
    }

    int run(Node node) throws InterruptedException {
      return run(node, true);
    }

    /** Runs a node; {@code checked} says whether {@code set -e} applies to its failure. */
    private int run(Node node, boolean checked) throws InterruptedException {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      if (node instanceof ListNode list) {
        status = 0;
        for (int i = 0; i < list.items().size(); i++) {
          Node item = list.items().get(i);
          if (list.background().get(i)) {
            background(item);
            status = 0;
          } else {
            status = run(item, checked);
          }
        }
        return status;
      }
      if (node instanceof AndOr andOr) {
        int s = 0;
        for (int i = 0; i < andOr.pipelines().size(); i++) {
          if (i > 0) {
            boolean and = andOr.and().get(i - 1);
            if (and != (s == 0)) {
              continue;
            }
          }
          boolean last = i == andOr.pipelines().size() - 1;
          boolean negated = andOr.negated().get(i);
          s = run(andOr.pipelines().get(i), checked && last && !negated);
          if (negated) {
            s = s == 0 ? 1 : 0;
          }
        }
        status = s;
        return s;
      }
      int s;
      if (node instanceof Compound c) {
        s = compound(c);
      } else {
        s = simple((Simple) node);
      }
      status = s;
      if (checked && errexit && s != 0) {
        throw new ExitException(s);
      }
      return s;
    }

    private void background(Node item) {
      int pid = PIDS.incrementAndGet();
      Shell sub = new Shell(this);
      CompletableFuture<Integer> done = new CompletableFuture<>();
      process.container().spawn("sh-job-" + pid, () -> {
        try {
          done.complete(sub.run(item));
        } catch (ExitException e) {
          done.complete(e.status);
        } catch (InterruptedException e) {
          done.complete(137);
        } catch (Throwable e) {
          done.completeExceptionally(e);
        }
      });
      jobs.put(pid, done);
      lastBackground = pid;
    }

    private int compound(Compound c) throws InterruptedException {
      InputStream savedIn = in[0];
      OutputStream savedOut = out[1];
      OutputStream savedErr = out[2];
      List<java.io.Closeable> opened = new ArrayList<>();
      try {
        if (!applyRedirects(c.redirects(), opened)) {
          return 2;
        }
        switch (c.kind()) {
          case "subshell" -> {
            Shell sub = new Shell(this);
            try {
              return sub.run(c.parts().get(0));
            } catch (ExitException e) {
              return e.status;
            }
          }
          case "group" -> {
            return run(c.parts().get(0));
          }
          default -> {
            List<Node> parts = c.parts();
            int i = 0;
            while (i + 1 < parts.size()) {
              if (run(parts.get(i), false) == 0) {
                return run(parts.get(i + 1));
              }
              i += 2;
            }
            return i < parts.size() ? run(parts.get(i)) : 0;
          }
        }
      } finally {
        closeAll(opened);
        in[0] = savedIn;
        out[1] = savedOut;
        out[2] = savedErr;
      }
    }

    private int simple(Simple cmd) throws InterruptedException {
      List<String> argv = new ArrayList<>();
      Map<String, String> assignments = new LinkedHashMap<>();
      boolean commandSeen = false;
      for (List<Part> word : cmd.words()) {
        if (!commandSeen) {
          String assignment = assignmentName(word);
          if (assignment != null) {
            assignments.put(assignment, join(expand(valueParts(word, assignment.length() + 1))));
            continue;
          }
        }
        commandSeen = true;
        argv.addAll(expand(word));
      }
      InputStream savedIn = in[0];
      OutputStream savedOut = out[1];
      OutputStream savedErr = out[2];
      List<java.io.Closeable> opened = new ArrayList<>();
      try {
        if (!applyRedirects(cmd.redirects(), opened)) {
          return 2;
        }
        if (argv.isEmpty()) {
          vars.putAll(assignments);
          return 0;
        }
        return command(argv, assignments, cmd.line());
      } finally {
        closeAll(opened);
        in[0] = savedIn;
        out[1] = savedOut;
        out[2] = savedErr;
      }
    }

    private int command(List<String> argv, Map<String, String> assignments, int line) throws InterruptedException {
      String cmd = argv.get(0);
      switch (cmd) {
        case ":", "true":
          return 0;
        case "false":
          return 1;
        case "exit":
          throw new ExitException(argv.size() > 1 ? parseInt(argv.get(1), 2) : status);
        case "exec":
          if (argv.size() == 1) {
            return 0;
          }
          throw new ExitException(command(argv.subList(1, argv.size()), assignments, line));
        case "wait":
          return waitFor(argv);
        case "read":
          return read(argv);
        case "[", "test":
          return test(argv, line);
        case "echo":
          return echo(argv);
        case "printf":
          return printf(argv);
        case "cd":
          return cd(argv, line);
        case "pwd":
          print(cwd + "\n");
          return 0;
        case "set":
          for (String a : argv.subList(1, argv.size())) {
            if (a.startsWith("-") && a.contains("e")) {
              errexit = true;
            } else if (a.startsWith("+") && a.contains("e")) {
              errexit = false;
            }
          }
          return 0;
        case "export":
          for (String a : argv.subList(1, argv.size())) {
            int eq = a.indexOf('=');
            String n = eq < 0 ? a : a.substring(0, eq);
            if (eq >= 0) {
              vars.put(n, a.substring(eq + 1));
            }
            exported.add(n);
          }
          return 0;
        case "unset":
          for (String a : argv.subList(1, argv.size())) {
            vars.remove(a);
            exported.remove(a);
          }
          return 0;
        default:
          Map<String, String> env = new LinkedHashMap<>();
          for (String n : exported) {
            if (vars.containsKey(n)) {
              env.put(n, vars.get(n));
            }
          }
          env.putAll(assignments);
          return process.exec(argv, env, cwd, in[0], out[1], out[2], name + ": " + line + ": ");
      }
    }

    private int waitFor(List<String> argv) throws InterruptedException {
      List<Integer> pids = new ArrayList<>();
      if (argv.size() > 1) {
        for (String a : argv.subList(1, argv.size())) {
          pids.add(parseInt(a, -1));
        }
      } else {
        pids.addAll(jobs.keySet());
      }
      int s = 0;
      for (int pid : pids) {
        CompletableFuture<Integer> job = jobs.remove(pid);
        if (job == null) {
          s = 127;
          continue;
        }
        try {
          s = job.get();
        } catch (ExecutionException e) {
          s = 2;
        }
      }
      return s;
    }

    /** {@code read [-r] NAME...}: one line of stdin into the names; status 1 at end of input. */
    private int read(List<String> argv) {
      List<String> names = argv.subList(1, argv.size()).stream().filter(a -> !a.startsWith("-")).toList();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      try {
        while ((b = in[0].read()) >= 0 && b != '\n') {
          line.write(b);
        }
      } catch (IOException e) {
        return 1;
      }
      String text = line.toString(StandardCharsets.UTF_8).strip();
      String[] fields = names.size() <= 1 ? new String[] {text} : text.split("\\s+", names.size());
      for (int i = 0; i < names.size(); i++) {
        vars.put(names.get(i), i < fields.length ? fields[i] : "");
      }
      return b < 0 ? 1 : 0;
    }

    private int test(List<String> argv, int line) {
      List<String> a = new ArrayList<>(argv.subList(1, argv.size()));
      if (argv.get(0).equals("[")) {
        if (a.isEmpty() || !a.get(a.size() - 1).equals("]")) {
          error(line, "[: missing ]");
          return 2;
        }
        a.remove(a.size() - 1);
      }
      boolean negate = false;
      while (!a.isEmpty() && a.get(0).equals("!") && a.size() > 1) {
        negate = !negate;
        a.remove(0);
      }
      boolean result;
      if (a.isEmpty()) {
        result = false;
      } else if (a.size() == 1) {
        result = !a.get(0).isEmpty();
      } else if (a.size() == 2) {
        FakeFileSystem fs = process.files();
        result = switch (a.get(0)) {
          case "-f" -> fs.isFile(FakeFileSystem.normalize(cwd, a.get(1)));
          case "-d" -> fs.isDirectory(FakeFileSystem.normalize(cwd, a.get(1)));
          case "-e" -> fs.exists(FakeFileSystem.normalize(cwd, a.get(1)));
          case "-s" -> fs.node(FakeFileSystem.normalize(cwd, a.get(1))).map(n -> n.content().length > 0).orElse(false);
          case "-x" -> fs.node(FakeFileSystem.normalize(cwd, a.get(1))).map(n -> (n.mode() & 0111) != 0).orElse(false);
          case "-L", "-h" -> fs.node(FakeFileSystem.normalize(cwd, a.get(1)), false)
              .map(n -> n.type() == FakeFileSystem.Type.SYMLINK).orElse(false);
          case "-n" -> !a.get(1).isEmpty();
          case "-z" -> a.get(1).isEmpty();
          default -> {
            error(line, "test: " + a.get(0) + ": unexpected operator");
            yield false;
          }
        };
      } else if (a.size() == 3) {
        String l = a.get(0);
        String r = a.get(2);
        result = switch (a.get(1)) {
          case "=", "==" -> l.equals(r);
          case "!=" -> !l.equals(r);
          case "-eq" -> parseInt(l, 0) == parseInt(r, 0);
          case "-ne" -> parseInt(l, 0) != parseInt(r, 0);
          case "-lt" -> parseInt(l, 0) < parseInt(r, 0);
          case "-le" -> parseInt(l, 0) <= parseInt(r, 0);
          case "-gt" -> parseInt(l, 0) > parseInt(r, 0);
          case "-ge" -> parseInt(l, 0) >= parseInt(r, 0);
          default -> {
            error(line, "test: " + a.get(1) + ": unexpected operator");
            yield false;
          }
        };
      } else {
        error(line, "test: too many arguments");
        return 2;
      }
      return result != negate ? 0 : 1;
    }

    private int echo(List<String> argv) {
      List<String> a = argv.subList(1, argv.size());
      boolean newline = true;
      if (!a.isEmpty() && a.get(0).equals("-n")) {
        newline = false;
        a = a.subList(1, a.size());
      }
      print(String.join(" ", a) + (newline ? "\n" : ""));
      return 0;
    }

    private int printf(List<String> argv) {
      if (argv.size() < 2) {
        error(0, "printf: usage: printf format [arg ...]");
        return 2;
      }
      String format = argv.get(1);
      List<String> args = argv.subList(2, argv.size());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int next = 0;
      for (int i = 0; i < format.length(); i++) {
        char c = format.charAt(i);
        if (c == '\\' && i + 1 < format.length()) {
          char e = format.charAt(++i);
          switch (e) {
            case 'n' -> bytes.write('\n');
            case 't' -> bytes.write('\t');
            case '\\' -> bytes.write('\\');
            default -> {
              if (e >= '0' && e <= '7') {
                int value = 0;
                int digits = 0;
                while (digits < 3 && i < format.length() && format.charAt(i) >= '0' && format.charAt(i) <= '7') {
                  value = value * 8 + (format.charAt(i) - '0');
                  i++;
                  digits++;
                }
                i--;
                bytes.write(value);
              } else {
                bytes.write('\\');
                bytes.write(e);
              }
            }
          }
        } else if (c == '%' && i + 1 < format.length()) {
          char f = format.charAt(++i);
          String arg = next < args.size() ? args.get(next++) : "";
          switch (f) {
            case '%' -> bytes.write('%');
            case 'd' -> bytes.writeBytes(Integer.toString(parseInt(arg, 0)).getBytes(StandardCharsets.UTF_8));
            default -> bytes.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
          }
        } else {
          bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
      }
      try {
        out[1].write(bytes.toByteArray());
        out[1].flush();
      } catch (IOException e) {
        return 1;
      }
      return 0;
    }

    private int cd(List<String> argv, int line) {
      String target = FakeFileSystem.normalize(cwd, argv.size() > 1 ? argv.get(1) : vars.getOrDefault("HOME", "/"));
      if (!process.files().isDirectory(target)) {
        error(line, "cd: can't cd to " + (argv.size() > 1 ? argv.get(1) : target));
        return 2;
      }
      cwd = target;
      vars.put("PWD", cwd);
      return 0;
    }

    private void print(String text) {
      try {
        out[1].write(text.getBytes(StandardCharsets.UTF_8));
        out[1].flush();
      } catch (IOException e) {
        // stdout gone
      }
    }

    /** Opens the redirections into the fd table; false (after a message) when one fails. */
    private boolean applyRedirects(List<Redirect> redirects, List<java.io.Closeable> opened) {
      for (Redirect r : redirects) {
        String target = join(expand(r.target()));
        try {
          switch (r.op()) {
            case ">&", "<&" -> {
              int from = parseInt(target, -1);
              if (from == 0) {
                in[0] = in[0];
              } else if (from == 1 || from == 2) {
                if (r.fd() == 1 || r.fd() == 2) {
                  out[r.fd()] = out[from];
                }
              } else {
                error(r.line(), target + ": Bad file descriptor");
                return false;
              }
            }
            case "<" -> {
              InputStream s = process.files().openRead(FakeFileSystem.normalize(cwd, target));
              opened.add(s);
              in[0] = s;
            }
            default -> {
              OutputStream s = process.files().openWrite(FakeFileSystem.normalize(cwd, target), r.op().equals(">>"),
                  process.uid(), process.gid());
              opened.add(s);
              if (r.fd() == 1 || r.fd() == 2) {
                out[r.fd()] = s;
              }
            }
          }
        } catch (IOException e) {
          error(r.line(), (r.op().equals("<") ? "cannot open " : "cannot create ") + target + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "Directory nonexistent" : e.getMessage()));
          return false;
        }
      }
      return true;
    }

    private static void closeAll(List<java.io.Closeable> opened) {
      for (java.io.Closeable c : opened) {
        try {
          c.close();
        } catch (IOException e) {
          // the command ended; nothing to do about a close failure
        }
      }
    }

    // ---- expansion ----

    private static String assignmentName(List<Part> word) {
      Part first = word.get(0);
      if (first.param() != null || first.quoted()) {
        return null;
      }
      int eq = first.text().indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String n = first.text().substring(0, eq);
      return n.matches("[A-Za-z_][A-Za-z0-9_]*") ? n : null;
    }

    private static List<Part> valueParts(List<Part> word, int skip) {
      List<Part> parts = new ArrayList<>();
      parts.add(Part.literal(word.get(0).text().substring(skip), true));
      parts.addAll(word.subList(1, word.size()));
      return parts;
    }

    private static String join(List<String> fields) {
      return String.join(" ", fields);
    }

    /** A word's fields: unquoted parameter values are split at blanks; an empty unquoted word vanishes. */
    private List<String> expand(List<Part> word) {
      List<String> fields = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      boolean hasContent = false;
      for (Part p : word) {
        if (p.param() == null) {
          current.append(p.text());
          hasContent |= p.quoted() || !p.text().isEmpty();
          continue;
        }
        if (p.param().equals("@") || p.param().equals("*")) {
          for (int i = 0; i < positional.size(); i++) {
            if (i > 0) {
              fields.add(current.toString());
              current.setLength(0);
            }
            current.append(positional.get(i));
            hasContent = true;
          }
          continue;
        }
        String value = value(p);
        if (p.quoted()) {
          current.append(value);
          hasContent = true;
        } else {
          String[] split = value.split("[ \t\n]+", -1);
          for (int i = 0; i < split.length; i++) {
            if (i > 0 && (current.length() > 0 || hasContent)) {
              fields.add(current.toString());
              current.setLength(0);
              hasContent = false;
            }
            current.append(split[i]);
            hasContent |= !split[i].isEmpty();
          }
        }
      }
      if (hasContent || current.length() > 0) {
        fields.add(current.toString());
      }
      return fields;
    }

    private String value(Part p) {
      String v = switch (p.param()) {
        case "?" -> Integer.toString(status);
        case "!" -> Integer.toString(lastBackground);
        case "#" -> Integer.toString(positional.size());
        case "$" -> "1";
        case "0" -> name;
        default -> {
          if (p.param().matches("[1-9]")) {
            int i = p.param().charAt(0) - '1';
            yield i < positional.size() ? positional.get(i) : null;
          }
          yield vars.get(p.param());
        }
      };
      if (p.op() != null) {
        boolean unset = v == null || (p.op().startsWith(":") && v.isEmpty());
        if (unset) {
          String word = join(expand(p.operand()));
          if (p.op().equals(":=")) {
            vars.put(p.param(), word);
          }
          return word;
        }
      }
      return v == null ? "" : v;
    }

    private static int parseInt(String s, int fallback) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
  }
}
