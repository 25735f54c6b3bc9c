package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.engine.docker.RegistryErrors.Kind;
import org.junit.jupiter.api.Test;

class RegistryErrorsTest {
  @Test
  void daemonMessagesAreSortedIntoKinds() {
    assertThat(RegistryErrors.classify("unauthorized: authentication required")).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(RegistryErrors.classify("no basic auth credentials")).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(RegistryErrors.classify(
        "Get \"https://127.0.0.1:5001/v2/\": x509: certificate signed by unknown authority"))
        .isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
    assertThat(RegistryErrors.classify("manifest for 127.0.0.1:5000/x:1 not found: manifest unknown"))
        .isEqualTo(Kind.UNKNOWN_REPOSITORY);
    assertThat(RegistryErrors.classify(
        "Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused"))
        .isEqualTo(Kind.UNREACHABLE);
    assertThat(RegistryErrors.classify("received unexpected HTTP status: 503 Service Unavailable"))
        .isEqualTo(Kind.UNREACHABLE);
    assertThat(RegistryErrors.classify("something else")).isEqualTo(Kind.OTHER);
  }

  @Test
  void aRegistryThatFailsMidPushIsTransient() {
    // What the daemon reports when the connection breaks during a blob upload, and when a
    // registry restarted during one and no longer knows the upload session.
    assertThat(RegistryErrors.classify("Patch \"http://127.0.0.1:5000/v2/it/x/blobs/uploads/1\": "
        + "write tcp 127.0.0.1:40210->127.0.0.1:5000: write: connection reset by peer")).isEqualTo(Kind.UNREACHABLE);
    assertThat(RegistryErrors.classify("Put \"http://127.0.0.1:5000/v2/it/x/blobs/uploads/1\": "
        + "write tcp 127.0.0.1:40210->127.0.0.1:5000: use of closed network connection")).isEqualTo(Kind.UNREACHABLE);
    assertThat(RegistryErrors.classify("blob upload unknown: blob upload unknown to registry"))
        .isEqualTo(Kind.UNREACHABLE);
    assertThat(RegistryErrors.classify("Put \"http://127.0.0.1:5000/v2/it/x/blobs/uploads/1\": unexpected EOF"))
        .isEqualTo(Kind.UNREACHABLE);
    assertThat(RegistryErrors.classify("dial tcp 10.0.0.9:5000: connect: no route to host")).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void onlyUnreachableIsTransient() {
    for (Kind k : Kind.values()) {
      assertThat(k.transientFailure).as(k.name()).isEqualTo(k == Kind.UNREACHABLE);
    }
  }

  @Test
  void suggestionsNameTheRegistry() {
    assertThat(RegistryErrors.registryOf("127.0.0.1:5000/ns/app:1")).isEqualTo("127.0.0.1:5000");
    assertThat(RegistryErrors.registryOf("library/app")).isEqualTo("docker.io");
    assertThat(RegistryErrors.registryOf("localhost/app")).isEqualTo("localhost");
    assertThat(RegistryErrors.suggestion(Kind.UNAUTHORIZED, "127.0.0.1:5000/app:1"))
        .contains("docker login 127.0.0.1:5000", "--dockercfg-path");
    assertThat(RegistryErrors.suggestion(Kind.UNTRUSTED_CERTIFICATE, "127.0.0.1:5000/app:1"))
        .contains("/etc/docker/certs.d/127.0.0.1:5000/ca.crt");
  }
}
