package io.s2i.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.api.S2iException;

/** Waiting for a build's end, and the exit status a finished build gives the CLI. */
final class BuildStatus {
  private BuildStatus() {}

  /** Polls the build until it ends; prints its end and returns its exit status. */
  static int waitFor(ServiceClient client, String build) throws S2iException, InterruptedException {
    while (true) {
      JsonNode b = client.get("/api/v1/builds/" + ServiceClient.enc(build));
      String phase = b.path("phase").asText();
      if (!phase.equals("New") && !phase.equals("Pending") && !phase.equals("Running")) {
        String reason = b.path("reason").asText("");
        System.err.println("build/" + build + " " + phase + (reason.isEmpty() ? "" : " (" + reason + ")")
            + (b.hasNonNull("message") ? ": " + b.get("message").asText() : ""));
        return exitCode(phase, reason);
      }
      Thread.sleep(500);
    }
  }

  /** 0 for Complete; for failures the code {@code s2i build} gives the same failure; 130 for Cancelled. */
  static int exitCode(String phase, String reason) {
    return switch (phase) {
      case "Complete" -> 0;
      case "Cancelled" -> 130;
      default -> switch (reason) {
        case "PullBuilderImageFailed" -> 3;
        case "FetchSourceFailed" -> 4;
        case "InstallScriptsFailed" -> 5;
        case "AssembleFailed", "DockerBuildFailed" -> 6;
        case "EngineUnavailable" -> 7;
        case "PushImageToRegistryFailed" -> 8;
        case "AssembleUserNotAllowed" -> 9;
        case "CommitContainerFailed" -> 10;
        case "InvalidBuildRequest", "InvalidBinaryInput", "DetectionUnavailable" -> 2;
        default -> 1;
      };
    };
  }
}
