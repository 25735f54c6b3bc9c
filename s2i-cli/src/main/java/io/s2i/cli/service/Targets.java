package io.s2i.cli.service;

import io.s2i.api.S2iException;

/** Resolves a command's argument to a build or a configuration, as {@code oc} does. */
final class Targets {
  private Targets() {}

  /**
   * A build or configuration.
   *
   * @param build whether it names a build
   * @param name its name
   */
  record Target(boolean build, String name) {
    String logPath() {
      return build ? "/api/v1/builds/" + ServiceClient.enc(name) + "/log"
          : "/api/v1/buildconfigs/" + ServiceClient.enc(name) + "/log";
    }
  }

  /**
   * {@code build/NAME} and {@code bc/NAME} say what they are; otherwise {@code NAME-N} is a build
   * when one of that name exists, and anything else a configuration.
   */
  static Target resolve(ServiceClient client, String arg) throws S2iException {
    if (arg.startsWith("build/") || arg.startsWith("builds/")) {
      return new Target(true, arg.substring(arg.indexOf('/') + 1));
    }
    if (arg.startsWith("bc/") || arg.startsWith("buildconfig/")) {
      return new Target(false, arg.substring(arg.indexOf('/') + 1));
    }
    if (arg.matches(".+-[0-9]+")) {
      try {
        client.get("/api/v1/builds/" + ServiceClient.enc(arg));
        return new Target(true, arg);
      } catch (S2iException e) {
        if (!e.getMessage().contains("HTTP 404")) {
          throw e;
        }
      }
    }
    return new Target(false, arg);
  }
}
