package io.s2i.cli.service;

import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.service.auth.ClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code s2i login}: stores the server's URL and token for the client commands. */
@Command(name = "login", description = "Store the s2i server's URL and API token for the client commands.")
public final class LoginCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Option(names = "--server", paramLabel = "URL", description = "The server (default http://127.0.0.1:8080).")
  String server = "http://127.0.0.1:8080";

  @Option(names = "--token", paramLabel = "TOKEN", description = "The API token.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from FILE (the server's data dir has it as 'token').")
  Path tokenFile;

  @Override
  public Integer call() throws Exception {
    if ((token == null) == (tokenFile == null)) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "give the token with --token or --token-file",
          "the server's token is in its data directory, file 'token'");
    }
    String t = token != null ? token : Files.readString(tokenFile).strip();
    ServiceClient client = new ServiceClient(server, t);
    client.get("/api/v1/buildconfigs"); // refuses a wrong token or server before storing it
    Path file = ClientConfig.defaultPath(System.getenv());
    new ClientConfig(client.base(), t).write(file);
    System.err.println("Logged in to " + client.base() + " (stored in " + file + ")");
    return 0;
  }
}
