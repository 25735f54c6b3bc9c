package io.s2i.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.S2iException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenShift Build objects (as the BUILD variable of a build pod holds them) read into s2i build's arguments. */
class OpenShiftBuildTest {
  @TempDir Path tmp;

  static final String BUILD = """
      {"kind":"Build","apiVersion":"build.openshift.io/v1",
       "metadata":{"name":"app-3","namespace":"team"},
       "spec":{
         "source":{"type":"Git","git":{"uri":"https://git.example/app.git","ref":"main"},"contextDir":"svc"},
         "revision":{"type":"Git","git":{"commit":"0123abcd"}},
         "strategy":{"type":"Source","sourceStrategy":{
           "from":{"kind":"DockerImage","name":"registry.example/builders/python:3.11"},
           "env":[{"name":"PIP_INDEX_URL","value":"https://pypi.example/simple"},{"name":"EMPTY"}],
           "scripts":"https://scripts.example/bin","incremental":true,"forcePull":true}},
         "output":{"to":{"kind":"ImageStreamTag","name":"app:latest"},
                   "imageLabels":[{"name":"team","value":"blue"}]}},
       "status":{"phase":"New","outputDockerImageReference":"image-registry.svc:5000/team/app:latest"}}
      """;

  @Test
  void aSourceBuildBecomesTheArgumentsOfS2iBuild() throws Exception {
    OpenShiftBuild b = OpenShiftBuild.parse(BUILD);
    assertThat(b.name()).isEqualTo("team/app-3");
    assertThat(b.buildArguments()).containsExactly("https://git.example/app.git",
        "registry.example/builders/python:3.11", "image-registry.svc:5000/team/app:latest",
        "--ref", "0123abcd", "--context-dir", "svc",
        "-e", "PIP_INDEX_URL=https://pypi.example/simple", "-e", "EMPTY=",
        "--label", "team=blue", "--scripts-url", "https://scripts.example/bin", "--incremental",
        "--pull-policy", "always", "--network", "host", "--push");
  }

  @Test
  void variablesTheAnnotationMarksAreGivenToTheBuildOnlyAndPrintedMasked() throws Exception {
    OpenShiftBuild b = OpenShiftBuild.parse("""
        {"metadata":{"annotations":{"s2i.io/build-only-env":"TOKEN, OTHER"}},
         "spec":{"source":{"git":{"uri":"https://git.example/a.git"}},
         "strategy":{"sourceStrategy":{"from":{"name":"builder:1"},
           "env":[{"name":"TOKEN","value":"s3cr3t"},{"name":"MODE","value":"prod"}]}}}}""");
    List<String> args = b.buildArguments();
    assertThat(args).containsSubsequence("--build-env", "TOKEN=s3cr3t").containsSubsequence("-e", "MODE=prod");
    assertThat(String.join(" ", OpenShiftBuildCommand.masked(args))).contains("--build-env TOKEN=*****", "-e MODE=prod")
        .doesNotContain("s3cr3t");
  }

  @Test
  void withoutOutputNothingIsPushedAndWithoutRevisionTheRefIsUsed() throws Exception {
    OpenShiftBuild b = OpenShiftBuild.parse("""
        {"spec":{"source":{"git":{"uri":"https://git.example/a.git","ref":"v2"}},
         "strategy":{"sourceStrategy":{"from":{"name":"builder:1"}}}}}""");
    assertThat(b.buildArguments()).containsExactly("https://git.example/a.git", "builder:1", "--ref", "v2",
        "--pull-policy", "if-not-present", "--network", "host");
  }

  @Test
  void whatS2iWouldNotDoIsRefusedByName() {
    assertThatThrownBy(() -> OpenShiftBuild.parse("not json")).isInstanceOf(S2iException.class)
        .hasMessageContaining("BUILD is not JSON");
    assertThatThrownBy(() -> OpenShiftBuild.parse(BUILD.replace("\"type\":\"Source\"", "\"type\":\"Docker\"")))
        .hasMessageContaining("spec.strategy.type Docker");
    assertThatThrownBy(() -> OpenShiftBuild.parse(BUILD.replace("\"type\":\"Git\",\"git\"", "\"type\":\"Binary\",\"git\"")))
        .hasMessageContaining("spec.source.type Binary");
    assertThatThrownBy(() -> OpenShiftBuild.parse(BUILD.replace("\"kind\":\"DockerImage\",\"name\":\"registry",
        "\"kind\":\"ImageStreamTag\",\"name\":\"registry"))).hasMessageContaining("from is a ImageStreamTag");
    assertThatThrownBy(() -> OpenShiftBuild.parse(BUILD.replace("{\"name\":\"EMPTY\"}",
        "{\"name\":\"SECRET\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"k\"}}}")))
        .hasMessageContaining("SECRET uses valueFrom");
    assertThatThrownBy(() -> OpenShiftBuild.parse(BUILD.replace(",\"outputDockerImageReference\":\"image-registry.svc:5000/team/app:latest\"", "")))
        .hasMessageContaining("spec.output.to is a ImageStreamTag");
    assertThatThrownBy(() -> OpenShiftBuild.parse("{\"kind\":\"BuildConfig\",\"apiVersion\":\"build.openshift.io/v1\"}"))
        .hasMessageContaining("not a build.openshift.io/v1 Build");
  }

  @Test
  void pullAndPushSecretsAreMergedIntoOneOwnerOnlyConfig() throws Exception {
    Path push = Files.createDirectories(tmp.resolve("push"));
    Files.writeString(push.resolve(".dockerconfigjson"), "{\"auths\":{\"push.example\":{\"auth\":\"cDp3\"}}}");
    Path pull = Files.createDirectories(tmp.resolve("pull"));
    Files.writeString(pull.resolve(".dockercfg"), "{\"pull.example\":{\"auth\":\"cTp3\"}}");
    Path merged = OpenShiftBuildCommand.credentials(Map.of("PUSH_DOCKERCFG_PATH", push.toString(),
        "PULL_DOCKERCFG_PATH", pull.toString()));
    try {
      assertThat(Files.readString(merged)).contains("\"push.example\"", "\"pull.example\"").startsWith("{\"auths\":");
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(merged)))
          .isEqualTo("rw-------");
    } finally {
      Files.deleteIfExists(merged);
    }
    assertThat(OpenShiftBuildCommand.credentials(Map.of())).isNull();
    assertThatThrownBy(() -> OpenShiftBuildCommand.credentials(Map.of("PUSH_DOCKERCFG_PATH", tmp.resolve("none").toString())))
        .hasMessageContaining("neither .dockerconfigjson nor .dockercfg");
  }
}
