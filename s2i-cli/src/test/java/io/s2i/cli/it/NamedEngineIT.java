package io.s2i.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An engine the user named is the engine used: with nothing listening at the endpoint given by
 * {@code -U} or {@code DOCKER_HOST}, the build fails naming it (exit 7) instead of building with the
 * daemonless engine and loading the result into the machine's own daemon.
 */
class NamedEngineIT extends EngineTestBase {
  private static final String NOBODY = "tcp://127.0.0.1:1";

  @Test
  void anEndpointGivenWithUrlThatDoesNotAnswerIsExitSevenNamingIt() {
    String out = outputImage("named-url");
    var r = S2iProcess.runAsGiven(tmp, javaTmp, Map.of(), "-U", NOBODY, "--loglevel", "2", "build", app("plain"),
        FIXTURE + "builder", out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(7);
    assertThat(r.stderr()).contains("ERROR: cannot connect to the Docker engine at " + NOBODY)
        .doesNotContain("Using the oci engine");
    assertThat(Docker.imageExists(out)).isFalse();
  }

  @Test
  void anEndpointGivenInDockerHostThatDoesNotAnswerIsExitSevenNamingIt() {
    String out = outputImage("named-env");
    var r = S2iProcess.runAsGiven(tmp, javaTmp, Map.of("DOCKER_HOST", NOBODY), "build", app("plain"),
        FIXTURE + "builder", out, "-p", "never");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(7);
    assertThat(r.stderr()).contains(NOBODY);
    assertThat(Docker.imageExists(out)).isFalse();
  }
}
