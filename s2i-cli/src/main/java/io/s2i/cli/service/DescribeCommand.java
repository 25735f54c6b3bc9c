package io.s2i.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s2i describe NAME|BUILD}: a configuration or a build, with the API's information in tables. */
@Command(name = "describe", description = "Show a build configuration (with its latest builds) or a build (with its stages).")
public final class DescribeCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "NAME|BUILD", description = "A configuration (app, bc/app) or a build (app-7, build/app-7).")
  String target;

  @Override
  public Integer call() throws Exception {
    ServiceClient client = server.client();
    Targets.Target t = Targets.resolve(client, target);
    PrintStream out = System.out;
    if (t.build()) {
      describeBuild(client.get("/api/v1/builds/" + ServiceClient.enc(t.name())), out);
    } else {
      JsonNode c = client.get("/api/v1/buildconfigs/" + ServiceClient.enc(t.name()));
      describeConfig(c, out);
      JsonNode builds = client.get("/api/v1/buildconfigs/" + ServiceClient.enc(t.name()) + "/builds?limit=5");
      out.println();
      Table table = new Table("BUILD", "STATUS", "STARTED", "DURATION", "TRIGGER");
      for (JsonNode b : builds) {
        table.row(b.path("name").asText(), BuildsCommand.status(b), Table.time(b.path("startedAt").asText(null)),
            b.hasNonNull("durationMs") ? Table.duration(b.get("durationMs").asLong()) : "",
            b.path("triggeredBy").path(0).path("message").asText(""));
      }
      table.print(out);
    }
    return 0;
  }

  private static void line(PrintStream out, String key, String value) {
    if (value != null && !value.isEmpty()) {
      out.printf("%-16s%s%n", key + ":", value);
    }
  }

  static void describeConfig(JsonNode c, PrintStream out) {
    line(out, "Name", c.path("name").asText());
    JsonNode src = c.path("source");
    line(out, "Source", src.path("type").asText() + (src.has("git") ? " " + src.path("git").path("uri").asText()
        + (src.path("git").has("ref") ? " (ref " + src.path("git").path("ref").asText() + ")" : "") : ""));
    line(out, "Context dir", src.path("contextDir").asText(""));
    line(out, "As file", src.path("binary").path("asFile").asText(""));
    JsonNode st = c.path("strategy");
    line(out, "Strategy", st.path("type").asText());
    line(out, "Builder", st.path("detect").asBoolean() ? "detect" : st.path("builderImage").asText(""));
    line(out, "Dockerfile", st.path("dockerfilePath").asText(""));
    line(out, "Pull policy", st.path("pullPolicy").asText(""));
    line(out, "Incremental", st.path("incremental").asBoolean() ? "true" : "");
    line(out, "Runtime image", st.path("runtimeImage").asText(""));
    StringBuilder env = new StringBuilder();
    for (JsonNode e : st.path("env")) {
      env.append(env.length() == 0 ? "" : ", ").append(e.path("name").asText()).append('=').append(e.path("value").asText());
    }
    line(out, "Env", env.toString());
    JsonNode o = c.path("output");
    line(out, "Output", o.path("image").asText() + (o.path("push").asBoolean() ? " (pushed"
        + (o.has("credentials") ? " as " + o.path("credentials").path("username").asText() : "") + ")" : ""));
    line(out, "Run policy", c.path("runPolicy").asText());
    line(out, "History limits", c.path("successfulBuildsHistoryLimit").asText() + " complete, "
        + c.path("failedBuildsHistoryLimit").asText() + " failed");
    StringBuilder triggers = new StringBuilder();
    for (JsonNode t : c.path("triggers")) {
      triggers.append(triggers.length() == 0 ? "" : ", ").append(t.path("type").asText())
          .append(t.has("from") ? " (" + t.path("from").asText() + ")" : "");
    }
    line(out, "Triggers", triggers.length() == 0 ? "none (builds start by start-build)" : triggers.toString());
    line(out, "Last build", c.path("status").path("lastVersion").asText());
  }

  static void describeBuild(JsonNode b, PrintStream out) {
    line(out, "Name", b.path("name").asText());
    line(out, "Config", b.path("config").asText());
    line(out, "Status", BuildsCommand.status(b));
    line(out, "Message", b.path("message").asText(""));
    line(out, "Created", Table.time(b.path("createdAt").asText(null)));
    line(out, "Started", Table.time(b.path("startedAt").asText(null)));
    line(out, "Completed", Table.time(b.path("completedAt").asText(null)));
    line(out, "Duration", b.hasNonNull("durationMs") ? Table.duration(b.get("durationMs").asLong()) : "");
    for (JsonNode cause : b.path("triggeredBy")) {
      StringBuilder details = new StringBuilder();
      cause.path("details").fields().forEachRemaining(e -> details.append(", ").append(e.getKey()).append(' ')
          .append(e.getValue().asText()));
      line(out, "Triggered by", cause.path("message").asText() + details);
    }
    JsonNode rev = b.path("revision");
    if (!rev.isMissingNode()) {
      line(out, "Commit", rev.path("commit").asText() + " (" + rev.path("ref").asText("") + ")");
      line(out, "Author", rev.path("author").asText(""));
      line(out, "Message", rev.path("message").asText(""));
    }
    JsonNode opts = b.path("options");
    if (opts.has("binary")) {
      line(out, "Binary input", opts.path("binary").path("kind").asText() + " "
          + opts.path("binary").path("fileName").asText("") + " (" + opts.path("binary").path("size").asText() + " bytes)");
    }
    line(out, "Output image", b.path("outputImage").asText(""));
    line(out, "Image id", b.path("imageId").asText(""));
    line(out, "Pushed digest", b.path("imageDigest").asText(""));
    if (b.path("stages").size() > 0) {
      out.println();
      Table t = new Table("STAGE", "STEP", "STARTED", "DURATION", "OK");
      for (JsonNode s : b.path("stages")) {
        t.row(s.path("name").asText(), "", Table.time(s.path("startTime").asText(null)),
            Table.duration(s.path("durationMs").asLong()), "");
        for (JsonNode step : s.path("steps")) {
          t.row("", step.path("name").asText(), Table.time(step.path("startTime").asText(null)),
              Table.duration(step.path("durationMs").asLong()), step.path("succeeded").asBoolean() ? "yes" : "no");
        }
      }
      t.print(out);
    }
    if (b.hasNonNull("logSnippet")) {
      out.println();
      out.println("Last log lines:");
      b.get("logSnippet").asText().lines().forEach(l -> out.println("  " + l));
    }
  }
}
