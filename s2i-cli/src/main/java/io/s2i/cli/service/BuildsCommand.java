package io.s2i.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s2i builds [NAME]}: builds as a table, newest first. */
@Command(name = "builds", description = "List builds (of one configuration when named), newest first.")
public final class BuildsCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Mixin ServerOptions server;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "A build configuration.")
  String config;

  @Option(names = "--limit", paramLabel = "N", description = "At most N builds (default 50).")
  int limit = 50;

  @Override
  public Integer call() throws Exception {
    ServiceClient client = server.client();
    JsonNode builds = client.get(config == null ? "/api/v1/builds?limit=" + limit
        : "/api/v1/buildconfigs/" + ServiceClient.enc(config) + "/builds?limit=" + limit);
    Table t = new Table("NAME", "FROM", "STATUS", "STARTED", "DURATION", "TRIGGER");
    for (JsonNode b : builds) {
      t.row(b.path("name").asText(), from(b), status(b), Table.time(b.path("startedAt").asText(null)),
          b.hasNonNull("durationMs") ? Table.duration(b.get("durationMs").asLong()) : "",
          b.path("triggeredBy").path(0).path("type").asText(""));
    }
    t.print(System.out);
    return 0;
  }

  static String from(JsonNode b) {
    if (b.hasNonNull("revision")) {
      String c = b.get("revision").path("commit").asText("");
      return "Git@" + (c.length() > 8 ? c.substring(0, 8) : c);
    }
    if (b.path("options").hasNonNull("binary")) {
      return "Binary (" + b.path("options").path("binary").path("kind").asText() + ")";
    }
    return "";
  }

  static String status(JsonNode b) {
    String reason = b.path("reason").asText("");
    return b.path("phase").asText() + (reason.isEmpty() || b.path("phase").asText().equals("Cancelled") ? "" : " (" + reason + ")");
  }
}
