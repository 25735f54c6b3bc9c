package io.s2i.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.engine.ContainerEngine;
import io.s2i.testing.engine.EngineAvailability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine for the service's ITs, and the docker CLI to check independently what the
 * builds left: containers and untagged images made during a test.
 */
final class EngineFixture {
  static final String BUILDER = "localhost/s2i-test/builder:latest";
  private Set<String> containersBefore;
  private Set<String> danglingBefore;

  static ContainerEngine open() {
    if (!docker("image", "inspect", BUILDER).startsWith("[")) {
      String why = "no Docker engine with the fixture images: run scripts/test.sh (or scripts/ensure-engine.sh and scripts/ensure-fixtures.sh)";
      if (Boolean.getBoolean("s2i.it.required")) {
        throw new AssertionError(why);
      }
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    return EngineAvailability.openOrSkip("docker");
  }

  static String docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(Arrays.asList(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(120, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static Set<String> lines(String out) {
    Set<String> s = new HashSet<>();
    out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(s::add);
    return s;
  }

  void recordBefore() {
    containersBefore = lines(docker("ps", "-aq", "--no-trunc"));
    danglingBefore = lines(docker("images", "-q", "--no-trunc", "-f", "dangling=true"));
  }

  Set<String> newContainers() {
    Set<String> now = lines(docker("ps", "-aq", "--no-trunc"));
    now.removeAll(containersBefore);
    return now;
  }

  /**
   * Checks nothing was left: no container; untagged images only where this test's builds replaced
   * their own output tag (builds of one configuration to one tag), which are removed here.
   */
  void checkNothingLeft(Path testRoot) {
    assertThat(newContainers()).as("containers left behind").isEmpty();
    Set<String> dangling = lines(docker("images", "-q", "--no-trunc", "-f", "dangling=true"));
    dangling.removeAll(danglingBefore);
    List<String> foreign = new ArrayList<>();
    for (String id : dangling) {
      String location = docker("image", "inspect", "-f",
          "{{index .Config.Labels \"io.openshift.s2i.build.source-location\"}}", id).strip();
      if (location.startsWith(testRoot.toString()) || location.startsWith("file://" + testRoot)) {
        docker("rmi", id);
      } else if (!docker("image", "inspect", id).startsWith("[]")) {
        foreign.add(id + " (" + location + ")");
      }
    }
    assertThat(foreign).as("untagged images left behind").isEmpty();
  }
}
