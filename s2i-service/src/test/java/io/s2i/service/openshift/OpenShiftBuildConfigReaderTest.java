package io.s2i.service.openshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.ConfigRules;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.RunPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenShiftBuildConfigReaderTest {
  static String sample() throws Exception {
    return Files.readString(Path.of(OpenShiftBuildConfigReaderTest.class.getResource("/openshift/ruby-sample.yaml").toURI()));
  }

  @Test
  void readsOcGetOutputAsItIs() throws Exception {
    List<BuildConfig> configs = ConfigDocuments.parse(sample());
    assertThat(configs).hasSize(1);
    BuildConfig c = ConfigRules.validate(configs.get(0));
    assertThat(c.name()).isEqualTo("ruby-sample-build");
    assertThat(c.source().type()).isEqualTo(BuildConfig.SourceType.Git);
    assertThat(c.source().git().uri()).isEqualTo("https://github.com/openshift/ruby-hello-world.git");
    assertThat(c.source().git().ref()).isEqualTo("main");
    assertThat(c.source().contextDir()).isEqualTo("app");
    assertThat(c.strategy().builderImage()).isEqualTo("registry.access.redhat.com/ubi9/ruby-31:latest");
    assertThat(c.strategy().incremental()).isTrue();
    assertThat(c.strategy().pullPolicy()).isEqualTo(BuildConfig.PullPolicy.Always);
    assertThat(c.strategy().env()).extracting(e -> e.name() + "=" + e.value()).containsExactly("RACK_ENV=production");
    assertThat(c.output().image()).isEqualTo("127.0.0.1:5000/demo/ruby-sample:latest");
    assertThat(c.output().push()).isTrue();
    assertThat(c.runPolicy()).isEqualTo(RunPolicy.SerialLatestOnly);
    assertThat(c.successfulBuildsHistoryLimit()).isEqualTo(4);
    assertThat(c.failedBuildsHistoryLimit()).isEqualTo(3);
    assertThat(c.triggers()).extracting(BuildConfig.Trigger::type).containsExactly(BuildConfig.TriggerType.GitHub,
        BuildConfig.TriggerType.Generic, BuildConfig.TriggerType.ImageChange, BuildConfig.TriggerType.ConfigChange);
    assertThat(c.triggers().get(0).secret()).isEqualTo("gh-secret-0123456789");
    assertThat(c.triggers().get(1).allowEnv()).isTrue();
    assertThat(ConfigRules.masked(c).toString()).doesNotContain("gh-secret").doesNotContain("generic-secret");
  }

  @Test
  void aListAndSeveralDocumentsAreRead() throws Exception {
    String doc = sample();
    assertThat(ConfigDocuments.parse(doc + "\n---\n" + doc.replace("name: ruby-sample-build", "name: second"))).hasSize(2);
    String list = "apiVersion: v1\nkind: List\nitems:\n- " + sample().lines().filter(l -> !l.startsWith("#"))
        .reduce((a, b) -> a + "\n  " + b).orElseThrow();
    assertThat(ConfigDocuments.parse(list)).extracting(BuildConfig::name).containsExactly("ruby-sample-build");
  }

  @Test
  void aFieldItCannotHonourIsAnErrorNamingIt() throws Exception {
    String s = sample();
    refused(s.replace("  postCommit: {}", "  postCommit:\n    script: bundle exec rake test"),
        "spec.postCommit is not supported");
    refused(s.replace("kind: DockerImage\n        name: registry", "kind: ImageStreamTag\n        name: registry"),
        "spec.strategy.sourceStrategy.from.kind ImageStreamTag is not supported");
    refused(s.replace("      incremental: true", "      incremental: true\n      pullSecret:\n        name: pull"),
        "spec.strategy.sourceStrategy.pullSecret is not supported");
    refused(s.replace("    type: Git", "    type: Git\n    sourceSecret:\n      name: key"), "spec.source.sourceSecret");
    refused(s.replace("  runPolicy: SerialLatestOnly", "  runPolicy: SerialLatestOnly\n  completionDeadlineSeconds: 600"),
        "spec.completionDeadlineSeconds");
    refused(s.replace("      uri: https", "      httpProxy: http://proxy:3128\n      uri: https"), "spec.source.git.httpProxy");
    refused(s.replace("    type: Source\n", "    type: Custom\n"), "spec.strategy.type Custom");
    refused(s.replace("  runPolicy: SerialLatestOnly", "  runPolicy: SerialLatestOnly\n  madeUp: 1"),
        "spec.madeUp is not supported by s2i serve (unknown field)");
    refused(s.replace("      secret: gh-secret-0123456789", "      secretReference:\n        name: gh"),
        "spec.triggers[0].github.secretReference");
    refused(s.replace("      - name: RACK_ENV\n        value: production",
        "      - name: RACK_ENV\n        valueFrom:\n          secretKeyRef: {name: s, key: k}"),
        "spec.strategy.sourceStrategy.env[0].valueFrom");
    refused(s.replace("      name: 127.0.0.1:5000", "      name: 127.0.0.1:5000").replace("  postCommit: {}",
        "  postCommit: {}\n  output2: x"), "spec.output2");
    refused(s.replace("name: ruby-sample-build", "name: Ruby_Sample"), "invalid name");
    refused("kind: BuildConfig\napiVersion: build.openshift.io/v1\nmetadata:\n  name: [oops", "malformed YAML");
  }

  static void refused(String yaml, String reason) {
    assertThatThrownBy(() -> ConfigDocuments.parse(yaml).forEach(ConfigRules::validate))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void theDockerStrategyAndBinarySources() {
    BuildConfig c = ConfigRules.validate(ConfigDocuments.parse("""
        apiVersion: build.openshift.io/v1
        kind: BuildConfig
        metadata: {name: web}
        spec:
          source: {type: Binary, binary: {asFile: app.war}}
          strategy:
            type: Docker
            dockerStrategy: {dockerfilePath: build/Dockerfile, noCache: true, env: [{name: A, value: b}]}
          output: {to: {kind: DockerImage, name: 127.0.0.1:5000/web:1}}
        """).get(0));
    assertThat(c.source().type()).isEqualTo(BuildConfig.SourceType.Binary);
    assertThat(c.source().binary().asFile()).isEqualTo("app.war");
    assertThat(c.strategy().type()).isEqualTo(BuildConfig.StrategyType.Docker);
    assertThat(c.strategy().dockerfilePath()).isEqualTo("build/Dockerfile");
    refused("apiVersion: build.openshift.io/v1\nkind: BuildConfig\nmetadata: {name: w}\nspec:\n"
        + "  source: {type: Binary, binary: {asFile: ../x}}\n  strategy: {type: Docker, dockerStrategy: {}}\n"
        + "  output: {to: {kind: DockerImage, name: a/b:1}}\n", "source.binary.asFile must be a plain file name");
    refused("apiVersion: build.openshift.io/v1\nkind: BuildConfig\nmetadata: {name: w}\nspec:\n"
        + "  source: {type: Binary}\n  strategy: {type: Docker, dockerStrategy: {buildArgs: [{name: A, value: b}]}}\n"
        + "  output: {to: {kind: DockerImage, name: a/b:1}}\n", "dockerStrategy.buildArgs");
  }
}
