package io.s2i.cli.service;

import java.net.http.HttpRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s2i cancel-build BUILD}. */
@Command(name = "cancel-build", description = "Cancel a queued or running build.")
public final class CancelBuildCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "BUILD", description = "The build, e.g. app-7.")
  String build;

  @Override
  public Integer call() throws Exception {
    ServiceClient client = server.client();
    String name = build.startsWith("build/") ? build.substring(6) : build;
    var b = client.call(client.request("/api/v1/builds/" + ServiceClient.enc(name) + "/cancel")
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    System.out.println("build/" + name + " " + (b.path("phase").asText().equals("Cancelled") ? "cancelled"
        : "cancelling (" + b.path("phase").asText() + ")"));
    return 0;
  }
}
