package io.s2i.service.triggers.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.RegistryCredentials;
import io.s2i.service.triggers.image.ImageChange;
import io.s2i.service.triggers.image.ImageChangeWatcher;
import io.s2i.service.triggers.image.RegistryDigestResolver;
import io.s2i.testing.engine.EngineAvailability;
import io.s2i.testing.registry.RegistryServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image-change detection against real registries (Debian's docker-registry): the shared loopback
 * registry at 127.0.0.1:5000 (anonymous, plain HTTP), and one this test starts with TLS and
 * htpasswd (basic) authentication. A builder tag is pushed anew with skopeo during the test and the
 * watcher reports it, on demand and on its interval, with the digest the registry serves.
 */
class ImageChangeRegistryIT {
  private static final String SHARED = "127.0.0.1:5000";
  /** One repository for every run (the shared registry's catalog keeps the names); a tag per test. */
  private final String repository = "s2i-it/triggers";
  private final String tag = "builder-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> pushedDigests = new ArrayList<>();

  @TempDir Path work;

  @BeforeAll
  static void requireTools() {
    boolean registryUp;
    try {
      registryUp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + SHARED + "/v2/")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      registryUp = false;
    }
    EngineAvailability.requireOrSkip(registryUp && OciLayouts.onPath("skopeo") && RegistryServer.available(),
        "ImageChangeRegistryIT needs the loopback registry (scripts/ensure-registry.sh), skopeo, docker-registry, openssl and htpasswd");
  }

  @AfterEach
  void deletePushedManifests() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String digest : pushedDigests) {
      http.send(HttpRequest.newBuilder(URI.create("http://" + SHARED + "/v2/" + repository + "/manifests/" + digest))
          .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  private String push(Path layout, String destination, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of("oci:" + layout + ":latest", "docker://" + destination));
    OciLayouts.run(cmd);
    List<String> inspect = new ArrayList<>(List.of("skopeo", "inspect", "--format", "{{.Digest}}"));
    for (String option : options) {
      inspect.add(option.replace("--dest-", "--"));
    }
    inspect.add("docker://" + destination);
    return OciLayouts.run(inspect);
  }

  @Test
  void aBuilderTagPushedAnewIsReportedOnceOnDemandAndOnTheInterval() throws Exception {
    Path a = OciLayouts.write(work.resolve("a"), "builder A " + tag);
    Path b = OciLayouts.write(work.resolve("b"), "builder B " + tag);
    String builder = SHARED + "/" + repository + ":" + tag;
    String digestA = push(a, builder, "--dest-tls-verify=false");
    pushedDigests.add(digestA);
    LinkedBlockingQueue<ImageChange> reported = new LinkedBlockingQueue<>();
    ImageChangeWatcher watcher = new ImageChangeWatcher(RegistryDigestResolver.anonymous(), reported::add);
    watcher.follow(builder, Optional.empty());

    assertThat(watcher.checkAll()).as("the first check is the baseline").isEmpty();
    assertThat(watcher.knownId(builder)).contains(digestA);

    String digestB = push(b, builder, "--dest-tls-verify=false");
    pushedDigests.add(digestB);
    List<ImageChange> onDemand = watcher.checkRepository(SHARED + "/" + repository);
    assertThat(watcher.checkRepository(SHARED + "/s2i-it/other")).isEmpty();
    assertThat(digestB).isNotEqualTo(digestA);
    assertThat(onDemand).singleElement().satisfies(change -> {
      assertThat(change.image()).isEqualTo(builder);
      assertThat(change.oldId()).contains(digestA);
      assertThat(change.newId()).isEqualTo(digestB);
    });
    assertThat(watcher.checkAll()).as("reported once").isEmpty();
    assertThat(reported).as("the listener was told").containsExactlyElementsOf(onDemand);
    reported.clear();

    try {
      watcher.start(Duration.ofMillis(200));
      push(a, builder, "--dest-tls-verify=false");
      ImageChange timed = reported.poll(15, TimeUnit.SECONDS);
      assertThat(timed).isNotNull();
      assertThat(timed.oldId()).contains(digestB);
      assertThat(timed.newId()).isEqualTo(digestA);
      assertThat(reported.poll(600, TimeUnit.MILLISECONDS)).as("no second report").isNull();
    } finally {
      watcher.close();
    }
  }

  @Test
  void aRegistryWithBasicAuthenticationIsReadWithItsCredentials() throws Exception {
    String user = "s2i";
    String password = "pw-" + UUID.randomUUID().toString().substring(0, 8);
    try (RegistryServer secure = RegistryServer.tlsWithAuth(work.resolve("registry"), user, password)) {
      Path certs = Files.createDirectories(work.resolve("certs"));
      Files.copy(secure.caCertificate(), certs.resolve("ca.crt"));
      String builder = secure.address() + "/" + repository + ":" + tag;
      String[] auth = {"--dest-creds=" + user + ":" + password, "--dest-cert-dir=" + certs};
      String digestA = push(OciLayouts.write(work.resolve("a"), "A"), builder, auth);
      RegistryDigestResolver resolver = RegistryDigestResolver.builder()
          .httpClient(trusting(secure.caCertificate()))
          .plainHttp(host -> false)
          .credentials(host -> host.equals(secure.address())
              ? Optional.of(new RegistryCredentials(user, password)) : Optional.empty())
          .build();
      List<ImageChange> reported = new ArrayList<>();
      ImageChangeWatcher watcher = new ImageChangeWatcher(resolver, reported::add);
      watcher.follow(builder, Optional.of(digestA));

      assertThat(resolver.currentId(builder)).contains(digestA)
          .isEqualTo(secure.manifestDigest(repository, tag));
      String digestB = push(OciLayouts.write(work.resolve("b"), "B"), builder, auth);
      assertThat(watcher.check(builder)).map(ImageChange::newId).contains(digestB);
      assertThat(reported).hasSize(1);
      assertThat(RegistryDigestResolver.builder().httpClient(trusting(secure.caCertificate())).plainHttp(h -> false).build())
          .satisfies(anonymous -> org.assertj.core.api.Assertions.assertThatThrownBy(() -> anonymous.currentId(builder))
              .hasMessageContaining("needs credentials"));
    }
  }

  /** An HTTP client that trusts only {@code ca} and follows no redirect. */
  private static HttpClient trusting(Path ca) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }
}
