package io.s2i.cli.service;

import io.s2i.api.S2iException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s2i logs [-f] NAME|BUILD}: a build's log, or the latest build's of a configuration. */
@Command(name = "logs", description = "Print a build's log (a configuration's name: its latest build).")
public final class LogsCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "NAME|BUILD", description = "A build (app-7, build/app-7) or a configuration (app, bc/app).")
  String target;

  @Option(names = {"-f", "--follow"}, description = "Keep streaming until the build ends.")
  boolean follow;

  @Option(names = "--timestamps", description = "Start each line with its time (RFC 3339).")
  boolean timestamps;

  @Override
  public Integer call() throws Exception {
    ServiceClient client = server.client();
    String path = Targets.resolve(client, target).logPath() + "?follow=" + follow + "&timestamps=" + timestamps;
    copy(client, path, false);
    return 0;
  }

  /** Copies a log stream to stdout as it arrives. */
  static void copy(ServiceClient client, String path, boolean quiet) throws S2iException, IOException {
    try (InputStream in = client.stream(path)) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (!quiet) {
          System.out.write(buf, 0, n);
          System.out.flush();
        }
      }
    }
  }
}
