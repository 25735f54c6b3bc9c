package io.s2i.internal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.engine.ImageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuilderImageContractTest {
  private final List<String> messages = new ArrayList<>();

  private BuilderImageContract contract(Map<String, String> labels, List<String> env, String user) {
    ImageInfo info = new ImageInfo("sha256:abc", labels, env, user, "/opt/app-root/src",
        List.of(), List.of(), List.of("USER 0"), 1L);
    return new BuilderImageContract("builder:1", info, e -> {
      if (e instanceof BuildEvent.Log l) {
        messages.add(l.message());
      }
    });
  }

  @Test
  void scriptsUrlLabelWinsWithoutWarnings() {
    BuilderImageContract c = contract(Map.of(
        "io.openshift.s2i.scripts-url", "image:///usr/libexec/s2i",
        "io.s2i.scripts-url", "image:///old"), List.of("STI_SCRIPTS_URL=image:///env"), "");
    assertThat(c.scriptsUrl()).contains("image:///usr/libexec/s2i");
    assertThat(messages).isEmpty();
  }

  @Test
  void deprecatedScriptsUrlLabelIsUsedWithWarning() {
    BuilderImageContract c = contract(Map.of(
        "io.openshift.s2i.scripts-url", "",
        "io.s2i.scripts-url", "image:///old"), List.of("STI_SCRIPTS_URL=image:///env"), "");
    assertThat(c.scriptsUrl()).contains("image:///old");
    assertThat(messages).containsExactly(
        "warning: Image builder:1 uses deprecated label 'io.s2i.scripts-url', please migrate it to "
            + "io.openshift.s2i.scripts-url instead!");
  }

  @Test
  void deprecatedScriptsUrlEnvIsLastFallback() {
    BuilderImageContract c = contract(Map.of(), List.of("PATH=/bin", "STI_SCRIPTS_URL=image:///env"), "");
    assertThat(c.scriptsUrl()).contains("image:///env");
    assertThat(messages).singleElement().asString()
        .contains("STI_SCRIPTS_URL").contains("builder:1");
  }

  @Test
  void noScriptsUrlWarns() {
    BuilderImageContract c = contract(Map.of(), List.of("STI_SCRIPTS_URL="), "");
    assertThat(c.scriptsUrl()).isEmpty();
    assertThat(messages).containsExactly(
        "warning: Image builder:1 does not contain a value for the io.openshift.s2i.scripts-url label");
  }

  @Test
  void destinationFallbacks() {
    assertThat(contract(Map.of("io.openshift.s2i.destination", "/opt/dest",
        "io.s2i.destination", "/old"), List.of("STI_LOCATION=/env"), "").destination())
        .contains("/opt/dest");
    assertThat(messages).isEmpty();

    assertThat(contract(Map.of("io.s2i.destination", "/old"), List.of("STI_LOCATION=/env"), "")
        .destination()).contains("/old");
    assertThat(messages).singleElement().asString().contains("io.s2i.destination");

    messages.clear();
    assertThat(contract(Map.of(), List.of("STI_LOCATION=/env"), "").destination()).contains("/env");
    assertThat(messages).singleElement().asString().contains("STI_LOCATION");

    messages.clear();
    assertThat(contract(Map.of(), List.of(), "").destination()).isEmpty();
    assertThat(messages).isEmpty();
  }

  @Test
  void usersAndOtherLabels() {
    BuilderImageContract c = contract(Map.of(
        "io.openshift.s2i.assemble-user", "1234",
        "io.openshift.s2i.assemble-runtime-user", "1500",
        "io.openshift.s2i.assemble-input-files", "/a:/b"), List.of(), "1001");
    assertThat(c.assembleUser()).contains("1234");
    assertThat(c.assembleRuntimeUser()).contains("1500");
    assertThat(c.assembleInputFiles()).contains("/a:/b");
    assertThat(c.user()).isEqualTo("1001");
    assertThat(c.onBuild()).containsExactly("USER 0");
    assertThat(c.imageName()).isEqualTo("builder:1");
    assertThat(c.image().id()).isEqualTo("sha256:abc");
  }

  @Test
  void emptyLabelsCountAsAbsent() {
    BuilderImageContract c = contract(Map.of("io.openshift.s2i.assemble-user", ""), null, null);
    assertThat(c.assembleUser()).isEmpty();
    assertThat(c.user()).isEmpty();
  }
}
