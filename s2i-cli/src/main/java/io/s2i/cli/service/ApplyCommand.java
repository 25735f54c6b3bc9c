package io.s2i.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.net.http.HttpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code s2i apply -f FILE}: creates or updates build configurations (s2i's or OpenShift's YAML). */
@Command(name = "apply", description = "Create or update build configurations from a YAML or JSON file"
    + " (s2i's format or OpenShift's build.openshift.io/v1 BuildConfig).")
public final class ApplyCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Mixin ServerOptions server;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The file; - reads stdin.")
  String file;

  @Override
  public Integer call() throws Exception {
    byte[] body = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    ServiceClient client = server.client();
    JsonNode results = client.call(client.request("/api/v1/apply").header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(new String(body, StandardCharsets.UTF_8))).build());
    for (JsonNode r : results) {
      System.out.println("buildconfig/" + r.get("name").asText() + " " + r.get("result").asText());
    }
    return 0;
  }
}
