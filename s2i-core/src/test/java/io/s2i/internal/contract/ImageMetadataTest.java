package io.s2i.internal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageMetadataTest {

  private static Map<String, String> labels(String json) throws IOException {
    return ImageMetadata.labels(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyKeyOfEveryObjectBecomesALabel() throws Exception {
    Map<String, String> labels =
        labels("{\"labels\":[{\"k\":\"v\"},{\"k2\":\"v2\",\"k3\":\"v3\"},{\"k\":\"later\"}]}");
    assertThat(labels).containsExactlyInAnyOrderEntriesOf(Map.of("k", "later", "k2", "v2", "k3", "v3"));
    assertThat(new ArrayList<>(labels.keySet())).containsExactly("k", "k2", "k3");
  }

  @Test
  void missingOrNullLabelsGiveNoLabels() throws Exception {
    assertThat(labels("{}")).isEmpty();
    assertThat(labels("{\"other\":1}")).isEmpty();
    assertThat(labels("{\"labels\":null}")).isEmpty();
    assertThat(labels("{\"labels\":[]}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "{\"labels\":[{\"k\":\"v\"}]", "\"labels\""})
  void invalidJsonOrNonObjectIsAnError(String json) {
    assertThatThrownBy(() -> labels(json))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("image_metadata.json");
  }

  @Test
  void invalidJsonMessageSaysSo() {
    assertThatThrownBy(() -> labels("{not json"))
        .hasMessageStartingWith("image_metadata.json is not valid JSON");
  }

  @Test
  void emptyFileIsAnError() {
    assertThatThrownBy(() -> labels("")).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"labels\":{\"k\":\"v\"}}", "{\"labels\":\"k=v\"}", "{\"labels\":5}"})
  void labelsThatAreNotAnArrayAreAnError(String json) {
    assertThatThrownBy(() -> labels(json))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must be an array");
  }

  @Test
  void arrayEntryThatIsNotAnObjectIsAnError() {
    assertThatThrownBy(() -> labels("{\"labels\":[\"k\"]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must be an object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "true", "null", "{}", "[\"v\"]"})
  void nonStringValueIsAnError(String value) {
    assertThatThrownBy(() -> labels("{\"labels\":[{\"k\":" + value + "}]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("label \"k\" must have a string value");
  }
}
