package io.s2i.internal.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {
  @TempDir Path dir;
  final List<String> diagnostics = new ArrayList<>();

  private Path config(String name, String registry, String user, String password) throws Exception {
    Path file = Files.createDirectories(dir.resolve(name)).resolve("config.json");
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(file, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void explicitFileComesFirstThenDockerConfigThenHome() throws Exception {
    Path explicit = config("explicit", "127.0.0.1:5000", "explicit", "p1");
    Path env = config("env", "127.0.0.1:5000", "env", "p2");
    config("home/.docker", "127.0.0.1:5000", "home", "p3");
    Files.move(dir.resolve("home/.docker/config.json"), Files.createDirectories(dir.resolve("home/.docker")).resolve("config.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Map<String, String> environment = Map.of("DOCKER_CONFIG", env.getParent().toString(),
        "HOME", dir.resolve("home").toString());

    assertThat(CredentialResolver.dockerConfig(Optional.of(explicit), environment)
        .forImage("127.0.0.1:5000/app:1", diagnostics::add))
        .contains(new RegistryCredentials("explicit", "p1"));
    assertThat(CredentialResolver.dockerConfig(Optional.empty(), environment)
        .forImage("127.0.0.1:5000/app:1", diagnostics::add))
        .contains(new RegistryCredentials("env", "p2"));
    assertThat(CredentialResolver.dockerConfig(Optional.empty(), Map.of("HOME", dir.resolve("home").toString()))
        .forImage("127.0.0.1:5000/app:1", diagnostics::add))
        .contains(new RegistryCredentials("home", "p3"));
  }

  @Test
  void otherRegistriesAreAnonymous() throws Exception {
    Path explicit = config("explicit", "127.0.0.1:5000", "u", "p");
    CredentialResolver r = CredentialResolver.dockerConfig(Optional.of(explicit), Map.of("HOME", dir.toString()));
    assertThat(r.forImage("127.0.0.1:6000/app:1", diagnostics::add)).isEmpty();
    assertThat(CredentialResolver.none().forImage("127.0.0.1:5000/app", diagnostics::add)).isEmpty();
  }

  @Test
  void secretIsNeverPrinted() {
    assertThat(new RegistryCredentials("user", "s3cret").toString()).doesNotContain("s3cret");
  }
}
