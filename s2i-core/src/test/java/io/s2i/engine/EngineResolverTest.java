package io.s2i.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineResolverTest {
  private final List<String> prepared = new ArrayList<>();

  private EngineProvider provider(String id, int priority) {
    return new EngineProvider() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int priority() {
        return priority;
      }

      @Override
      public ContainerEngine open(Map<String, String> environment) throws EngineUnavailableException {
        throw new EngineUnavailableException(id + " is down", null, null);
      }

      @Override
      public void prepare(Map<String, String> environment) {
        prepared.add(id + " " + environment);
      }
    };
  }

  @Test
  void preparesOnlyTheEngineThatWouldBeTriedFirst() {
    EngineResolver resolver = new EngineResolver(List.of(provider("oci", 20), provider("docker", 10)));
    resolver.prepare(Optional.empty(), Map.of("DOCKER_HOST", "unix:///x"));
    assertThat(prepared).containsExactly("docker {DOCKER_HOST=unix:///x}");
  }

  @Test
  void preparesTheNamedEngineOrNothingForAnUnknownName() {
    EngineResolver resolver = new EngineResolver(List.of(provider("oci", 20), provider("docker", 10)));
    resolver.prepare(Optional.of("oci"), Map.of());
    resolver.prepare(Optional.of("nope"), Map.of());
    assertThat(prepared).containsExactly("oci {}");
  }

  /** A provider the resolver can make by class name. */
  public static final class NamedProvider implements EngineProvider {
    @Override
    public String id() {
      return "named";
    }

    @Override
    public int priority() {
      return 1;
    }

    @Override
    public ContainerEngine open(Map<String, String> environment) throws EngineUnavailableException {
      throw new EngineUnavailableException("named is down", null, null);
    }
  }

  @Test
  void makesProvidersByClassNameAndSkipsClassesThatAreNotThere() {
    EngineResolver resolver = EngineResolver.of(List.of(NamedProvider.class.getName(), "io.s2i.engine.NoSuchProvider"));
    assertThat(resolver.offers("named")).isTrue();
    assertThat(resolver.offers("docker")).isFalse();
    assertThatThrownBy(() -> resolver.resolve(Optional.empty(), Map.of()))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessage("named is down");
  }

  @Test
  void refusesAClassThatIsNoProvider() {
    assertThatThrownBy(() -> EngineResolver.of(List.of(String.class.getName())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.String");
  }
}
