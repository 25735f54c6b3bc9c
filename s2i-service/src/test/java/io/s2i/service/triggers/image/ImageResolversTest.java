package io.s2i.service.triggers.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.EngineException;
import io.s2i.engine.ImageInfo;
import io.s2i.engine.ImageStore;
import io.s2i.engine.OutputSink;
import io.s2i.engine.TransferListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageResolversTest {

  /** An engine's image store that only inspects, from a map; "broken" fails. */
  private static final class InspectOnlyStore implements ImageStore {
    final Map<String, String> ids;

    InspectOnlyStore(Map<String, String> ids) {
      this.ids = ids;
    }

    @Override
    public Optional<ImageInfo> inspect(String ref) throws EngineException {
      if (ref.equals("broken")) {
        throw new EngineException("the engine is gone", null);
      }
      return Optional.ofNullable(ids.get(ref))
          .map(id -> new ImageInfo(id, Map.of(), null, null, null, null, null, null, 0));
    }

    @Override
    public ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> credentials,
        TransferListener progress) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String build(ArchiveSource context, Optional<String> tag, Optional<String> network, OutputSink output) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void tag(String imageId, String ref) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void export(String image, OutputStream out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void load(InputStream dockerArchive) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String image) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void theEngineResolverGivesTheImageId() throws Exception {
    EngineImageResolver engine = new EngineImageResolver(new InspectOnlyStore(Map.of("localhost/b:1", "sha256:1234")));

    assertThat(engine.currentId("localhost/b:1")).contains("sha256:1234");
    assertThat(engine.currentId("localhost/missing:1")).isEmpty();
    assertThatThrownBy(() -> engine.currentId("broken")).isInstanceOf(ImageResolutionException.class)
        .hasMessageContaining("the engine is gone");
  }

  @Test
  void localhostNamesGoToTheEngineAndOthersToTheRegistry() throws Exception {
    ImageResolver engine = image -> Optional.of("engine");
    ImageResolver registry = image -> Optional.of("registry");
    RoutingImageResolver routing = new RoutingImageResolver(engine, registry);

    assertThat(routing.currentId("localhost/s2i-example/shell-builder:latest")).contains("engine");
    assertThat(routing.currentId("127.0.0.1:5000/builders/java:17")).contains("registry");
    assertThat(routing.currentId("registry.access.redhat.com/ubi9/openjdk-17")).contains("registry");
    assertThat(routing.currentId("openjdk:17")).contains("registry");
    assertThat(new RoutingImageResolver(engine, registry, i -> true).currentId("quay.io/x/y")).contains("engine");
  }

  @Test
  void loopbackRegistriesAreRecognisedWithoutResolvingNames() {
    for (String host : new String[] {"127.0.0.1:5000", "127.1.2.3", "localhost", "localhost:5000", "[::1]:5000", "::1"}) {
      assertThat(RegistryDigestResolver.isLoopback(host)).as(host).isTrue();
    }
    for (String host : new String[] {"quay.io", "128.0.0.1", "127.0.0.256", "10.0.0.1:5000", "localhost.example.com",
        "docker.io"}) {
      assertThat(RegistryDigestResolver.isLoopback(host)).as(host).isFalse();
    }
  }

  @Test
  void challengesAreParsed() {
    AuthChallenge bearer = AuthChallenge.parse(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\"")
        .orElseThrow();
    AuthChallenge basic = AuthChallenge.parse("Basic realm=\"s2i-test\"").orElseThrow();

    assertThat(bearer.scheme()).isEqualTo("bearer");
    assertThat(bearer.parameter("realm")).contains("https://auth.docker.io/token");
    assertThat(bearer.parameter("service")).contains("registry.docker.io");
    assertThat(bearer.parameter("scope")).contains("repository:library/ubuntu:pull");
    assertThat(basic.scheme()).isEqualTo("basic");
    assertThat(AuthChallenge.parse(" ")).isEmpty();
  }
}
