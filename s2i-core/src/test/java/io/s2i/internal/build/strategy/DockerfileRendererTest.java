package io.s2i.internal.build.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.EnvVar;
import io.s2i.api.PathMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Dockerfile text for each kind of plan. */
class DockerfileRendererTest {
  private static DockerfilePlan plan(String assembleUser, String imageUser, List<DockerfilePlan.Injection> injections,
      List<String> injected, Optional<DockerfilePlan.Incremental> inc, Optional<DockerfilePlan.Runtime> rt) {
    return new DockerfilePlan("b", Map.of("io.openshift.s2i.build.image", "docker.io/library/b:latest"),
        List.of(new EnvVar("A", "x$y\"z\\w"), new EnvVar("B", "line1\nline2")), assembleUser, imageUser, "/tmp",
        "/usr/libexec/s2i/assemble", "/tmp/scripts/run", injections, injected, inc, rt);
  }

  @Test
  void plainPlanEscapesValuesAndRestoresTheImageUser() {
    String df = DockerfileRenderer.render(plan("1234", "1001", List.of(), List.of(), Optional.empty(), Optional.empty()));
    assertThat(df).isEqualTo("""
        FROM b
        LABEL "io.openshift.s2i.build.image"="docker.io/library/b:latest"
        ENV A="x\\$y\\"z\\\\w" \\
            B="line1\\nline2"
        USER root
        # Copying in override assemble/run scripts
        COPY upload/scripts /tmp/scripts
        # Copying in source code
        COPY upload/src /tmp/src
        # Change file ownership to the assemble user. Builder image must support chown command.
        RUN chown -R 1234:0 /tmp/scripts /tmp/src
        USER 1234
        RUN /usr/libexec/s2i/assemble
        USER 1001
        CMD ["/tmp/scripts/run"]
        """);
  }

  @Test
  void injectionsStayInTheAssembleStageAndTheOutputCopiesItsFileSystem() {
    String df = DockerfileRenderer.render(plan("1001", "1001",
        List.of(new DockerfilePlan.Injection("upload/injections/0", "/tmp/inj")), List.of("/tmp/inj/token"),
        Optional.empty(), Optional.empty()));
    String[] stages = df.split("\n\n");
    assertThat(stages).hasSize(2);
    assertThat(stages[0]).startsWith("FROM b AS assemble\n").contains("COPY upload/injections/0 /tmp/inj\n")
        .contains("RUN chown -R 1001:0 /tmp/scripts /tmp/src /tmp/inj\n")
        .endsWith("RUN for f in /tmp/inj/token; do : > \"$f\"; done").doesNotContain("LABEL");
    assertThat(stages[1]).startsWith("FROM b\nCOPY --from=assemble / /\nLABEL ").contains("ENV A=")
        .doesNotContain("upload/").endsWith("CMD [\"/tmp/scripts/run\"]\n");
  }

  @Test
  void incrementalAndRuntimeStages() {
    String df = DockerfileRenderer.render(plan("1001", "1001", List.of(), List.of(),
        Optional.of(new DockerfilePlan.Incremental("out:latest", Optional.of("upload/scripts/save-artifacts"), "/tmp/scripts/save-artifacts")),
        Optional.of(new DockerfilePlan.Runtime("rt", List.of(new PathMapping("/opt/app/x.war", "deploy"), new PathMapping("/opt/app/lib", ".")),
            Optional.of("upload/runtime-scripts"), "", Optional.of("1001"), "scripts/assemble-runtime", "scripts/run"))));
    assertThat(df).startsWith("""
        FROM out:latest AS cached
        # Copying in override save-artifacts script
        USER root
        COPY upload/scripts/save-artifacts /tmp/scripts/save-artifacts
        RUN chown 1001:0 /tmp/scripts/save-artifacts
        USER 1001
        RUN if [ -s /tmp/scripts/save-artifacts ]; then /tmp/scripts/save-artifacts > /tmp/artifacts.tar; else touch /tmp/artifacts.tar; fi

        FROM b AS assemble
        """);
    assertThat(df).contains("COPY --from=cached /tmp/artifacts.tar /tmp/artifacts.tar\n")
        .contains("tar -xf /tmp/artifacts.tar -C /tmp/artifacts");
    assertThat(df.substring(df.indexOf("FROM rt"))).isEqualTo("""
        FROM rt
        LABEL "io.openshift.s2i.build.image"="docker.io/library/b:latest"
        ENV A="x\\$y\\"z\\\\w" \\
            B="line1\\nline2"
        USER root
        # Copying in the runtime artifacts, relative to the runtime image's WORKDIR
        COPY --from=assemble --chown=0:0 /opt/app/x.war deploy/x.war
        COPY --from=assemble --chown=0:0 /opt/app/lib lib
        COPY --chown=0:0 upload/runtime-scripts scripts
        USER 1001
        RUN scripts/assemble-runtime
        CMD ["scripts/run"]
        """);
  }
}
