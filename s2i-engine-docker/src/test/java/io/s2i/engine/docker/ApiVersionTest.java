package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiVersionTest {
  private static final ApiVersion CLIENT_MAX = new ApiVersion(1, 44);

  @Test
  void parsesWithAndWithoutLeadingV() {
    assertThat(ApiVersion.parse("1.41")).contains(new ApiVersion(1, 41));
    assertThat(ApiVersion.parse(" v1.9 ")).contains(new ApiVersion(1, 9));
    assertThat(ApiVersion.parse("latest")).isEmpty();
    assertThat(ApiVersion.parse(null)).isEmpty();
  }

  @Test
  void comparesNumericallyNotAsText() {
    assertThat(new ApiVersion(1, 9)).isLessThan(new ApiVersion(1, 41));
    assertThat(new ApiVersion(2, 0)).isGreaterThan(new ApiVersion(1, 99));
  }

  @Test
  void olderServerWins() {
    assertThat(ApiVersion.negotiate(Optional.empty(), Optional.of(new ApiVersion(1, 41)), CLIENT_MAX))
        .isEqualTo(new ApiVersion(1, 41));
  }

  @Test
  void newerServerIsCappedAtWhatTheClientKnows() {
    assertThat(ApiVersion.negotiate(Optional.empty(), Optional.of(new ApiVersion(1, 47)), CLIENT_MAX))
        .isEqualTo(CLIENT_MAX);
  }

  @Test
  void explicitVersionWinsOverEverything() {
    assertThat(
            ApiVersion.negotiate(
                Optional.of(new ApiVersion(1, 30)), Optional.of(new ApiVersion(1, 41)), CLIENT_MAX))
        .isEqualTo(new ApiVersion(1, 30));
  }

  @Test
  void silentServerGetsTheClientsVersion() {
    assertThat(ApiVersion.negotiate(Optional.empty(), Optional.empty(), CLIENT_MAX))
        .isEqualTo(CLIENT_MAX);
  }

  @Test
  void pathPrefixIsVersioned() {
    assertThat(new ApiVersion(1, 41).pathPrefix()).isEqualTo("/v1.41");
  }

  @Test
  void clientMaximumIsReadFromDockerJava() {
    // docker-java 3.5.3 declares up to 1.44; never less than the 1.41 this project needs.
    assertThat(DockerEngineProvider.highestKnownByClient()).isGreaterThanOrEqualTo(new ApiVersion(1, 44));
  }
}
