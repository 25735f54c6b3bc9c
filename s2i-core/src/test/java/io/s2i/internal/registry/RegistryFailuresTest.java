package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import io.s2i.api.FailureReason;
import io.s2i.engine.RegistryException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class RegistryFailuresTest {
  private static final String REGISTRY = "registry.example:5000";

  private static RegistryException of(Throwable t) {
    return RegistryFailures.of("pushing app:1 to " + REGISTRY, REGISTRY, "team/app", t);
  }

  @Test
  void refusedCredentialsAreNotRetriedAndNameTheLogin() {
    RegistryException e = of(new RegistryUnauthorizedException(REGISTRY, "team/app", null));
    assertThat(e.transientFailure()).isFalse();
    assertThat(e.reason()).isEqualTo(FailureReason.REGISTRY_FAILED);
    assertThat(e.getMessage()).contains(REGISTRY, "refused the credentials").doesNotContain("\n");
    assertThat(e.suggestion()).get().asString().contains("docker login " + REGISTRY, "--dockercfg-path");
  }

  @Test
  void aPulledBlobsWrappedFailureIsUnwrapped() {
    // jib's pullBlob reports registry failures inside an IOException.
    RegistryException e = of(new IOException(new RegistryUnauthorizedException(REGISTRY, "team/app", null)));
    assertThat(e.getMessage()).contains("refused the credentials");
  }

  @Test
  void connectionFailuresAreTransient() {
    for (Throwable t : new Throwable[] {new ConnectException("Connection refused"),
        new SocketException("Connection reset"), new IOException(new ConnectException("refused"))}) {
      RegistryException e = of(t);
      assertThat(e.transientFailure()).as(t.toString()).isTrue();
      assertThat(e.getMessage()).contains(REGISTRY, "cannot be reached");
      assertThat(e.suggestion()).get().asString().contains("running and reachable");
    }
  }

  @Test
  void certificateProblemsAreNotRetriedAndNameTheCertsDirectory() throws Exception {
    RegistryException untrusted = of(new javax.net.ssl.SSLHandshakeException(
        "PKIX path building failed: unable to find valid certification path to requested target"));
    assertThat(untrusted.transientFailure()).isFalse();
    assertThat(untrusted.getMessage()).contains(REGISTRY, "not trusted");
    assertThat(untrusted.suggestion()).get().asString().contains(REGISTRY + "/ca.crt");
    RegistryException wrongName = of(new javax.net.ssl.SSLPeerUnverifiedException(
        "Certificate for <registry.example> doesn't match any of the subject alternative names: [other]"));
    assertThat(wrongName.transientFailure()).isFalse();
    assertThat(wrongName.getMessage()).contains("not trusted");
    RegistryException noClientCert = of(new javax.net.ssl.SSLHandshakeException("Received fatal alert: bad_certificate"));
    assertThat(noClientCert.transientFailure()).isFalse();
    assertThat(noClientCert.suggestion()).get().asString().contains(REGISTRY, "client.cert", "client.key");
    // As jib reports it for a registry that must be verified.
    RegistryException wrapped = of(new com.google.cloud.tools.jib.api.InsecureRegistryException(
        new java.net.URL("https://" + REGISTRY + "/v2/"), new javax.net.ssl.SSLException(
            "Received fatal alert: certificate_required")));
    assertThat(wrapped.transientFailure()).isFalse();
    assertThat(wrapped.getMessage()).contains("client certificate", "certificate_required");
  }

  @Test
  void anUnknownHostIsNotRetried() {
    RegistryException e = of(new UnknownHostException("registry.example"));
    assertThat(e.transientFailure()).isFalse();
    assertThat(e.getMessage()).contains("no such host " + REGISTRY);
  }

  @Test
  void anUnknownRepositoryNamesIt() {
    RegistryException e = of(new com.google.cloud.tools.jib.api.RegistryException(
        "Tried to pull image manifest for registry.example:5000/team/app:1 but failed because: repository name not known to registry"));
    assertThat(e.transientFailure()).isFalse();
    assertThat(e.suggestion()).get().asString().contains("team/app", REGISTRY);
  }
}
