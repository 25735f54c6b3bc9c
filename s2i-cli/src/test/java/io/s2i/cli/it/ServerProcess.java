package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.service.auth.ClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@code s2i serve} process for the tests: started, its stderr kept in a file, ready once it has
 * written its client configuration (URL and token) under {@code XDG_CONFIG_HOME}.
 *
 * @param process the process
 * @param url where it listens
 * @param token its API token
 * @param log the file its stderr goes to
 */
record ServerProcess(Process process, String url, String token, Path log) {

  /** Starts {@code s2i serve ARGS} with {@code env} (which must set XDG_CONFIG_HOME) and waits until it listens. */
  static ServerProcess start(Path workDir, Path javaTmp, Map<String, String> env, Path log, String... args)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("serve"));
    all.addAll(List.of(args));
    Process p = S2iProcess.start(workDir, javaTmp, env, all.toArray(String[]::new));
    p.getInputStream().close();
    Thread drain = new Thread(() -> {
      try {
        Files.copy(p.getErrorStream(), log);
      } catch (IOException e) {
        // the process is gone
      }
    });
    drain.setDaemon(true);
    drain.start();
    Path clientConfig = Path.of(env.get("XDG_CONFIG_HOME")).resolve("s2i/client.yaml");
    for (int i = 0; i < 600 && !Files.exists(clientConfig); i++) {
      assertThat(p.isAlive()).as("serve exited: " + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
      Thread.sleep(100);
    }
    ClientConfig c = ClientConfig.read(clientConfig).orElseThrow();
    return new ServerProcess(p, c.server(), c.token(), log);
  }

  /** Stops it (SIGTERM), if it still runs. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
    }
  }
}
