package io.s2i.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code docker-credential-s2itest} program made by a test: answers {@code get} with the given
 * user and password for any server, and appends each call ({@code action server}) to a file.
 */
final class CredentialHelperScript {
  private CredentialHelperScript() {}

  /** Writes the helper into {@code bin}; each call is recorded in {@code calls}. */
  static Path write(Path bin, Path calls, String user, String password) throws IOException {
    Path helper = Files.createDirectories(bin).resolve("docker-credential-s2itest");
    Files.writeString(helper, "#!/bin/sh\n"
        + "read server\n"
        + "echo \"$1 $server\" >> " + calls + "\n"
        + "[ \"$1\" = get ] || exit 1\n"
        + "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user + "\",\"Secret\":\"" + password + "\"}' \"$server\"\n");
    helper.toFile().setExecutable(true);
    return helper;
  }
}
