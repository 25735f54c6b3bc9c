package io.s2i.service.triggers.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.s2i.api.RegistryCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The digest lookup against a registry stand-in on 127.0.0.1 that speaks the distribution API's
 * manifest HEAD/GET and its authentication: anonymous, basic, and bearer tokens from a realm.
 */
class RegistryDigestResolverTest {
  private static final String DIGEST = "sha256:" + "d".repeat(64);
  private static final String PASSWORD = "pw-7f3a";

  private HttpServer server;
  private String registry;
  /** What the stand-in demands: none, basic, bearer. */
  private volatile String auth = "none";
  private volatile boolean sendDigestHeader = true;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> accepts = new CopyOnWriteArrayList<>();
  private final byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void startRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry = "127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/v2/", this::manifests);
    server.createContext("/token", this::token);
    server.start();
  }

  @AfterEach
  void stopRegistry() {
    server.stop(0);
  }

  private void manifests(HttpExchange ex) throws IOException {
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + (authorization == null ? "" : " " + authorization.split(" ")[0]));
    accepts.add(String.valueOf(ex.getRequestHeaders().getFirst("Accept")));
    boolean allowed = switch (auth) {
      case "basic" -> ("Basic " + b64("s2i:" + PASSWORD)).equals(authorization);
      case "bearer" -> "Bearer tok-1".equals(authorization);
      default -> true;
    };
    if (!allowed) {
      ex.getResponseHeaders().add("WWW-Authenticate", auth.equals("basic") ? "Basic realm=\"test\""
          : "Bearer realm=\"http://" + registry + "/token\",service=\"test-registry\",scope=\"repository:team/builder:pull\"");
      ex.sendResponseHeaders(401, -1);
      ex.close();
      return;
    }
    if (!ex.getRequestURI().getPath().equals("/v2/team/builder/manifests/17")) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    ex.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.index.v1+json");
    if (sendDigestHeader) {
      ex.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(200, head ? -1 : manifest.length);
    if (!head) {
      ex.getResponseBody().write(manifest);
    }
    ex.close();
  }

  private void token(HttpExchange ex) throws IOException {
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + (authorization == null ? "" : " " + authorization.split(" ")[0])
        + (form.isEmpty() ? "" : " " + form.replace(PASSWORD, "<pw>")));
    boolean ok = ("Basic " + b64("s2i:" + PASSWORD)).equals(authorization) || form.contains("refresh_token=" + PASSWORD);
    byte[] body = (ok ? "{\"token\":\"tok-1\",\"expires_in\":300}" : "{\"errors\":[]}").getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(ok ? 200 : 401, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private RegistryDigestResolver resolver(Optional<RegistryCredentials> credentials) {
    return RegistryDigestResolver.builder().credentials(host -> host.equals(registry) ? credentials : Optional.empty()).build();
  }

  @Test
  void anonymousHeadGivesTheContentDigestAcceptingListsAndManifests() throws Exception {
    Optional<String> digest = RegistryDigestResolver.anonymous().currentId(registry + "/team/builder:17");

    assertThat(digest).contains(DIGEST);
    assertThat(requests).containsExactly("HEAD /v2/team/builder/manifests/17");
    assertThat(accepts.get(0)).contains("application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json");
  }

  @Test
  void anUnknownTagIsAbsent() throws Exception {
    assertThat(RegistryDigestResolver.anonymous().currentId(registry + "/team/builder:18")).isEmpty();
  }

  @Test
  void withoutTheDigestHeaderTheManifestBytesAreHashed() throws Exception {
    sendDigestHeader = false;

    Optional<String> digest = RegistryDigestResolver.anonymous().currentId(registry + "/team/builder:17");

    String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    assertThat(digest).contains(expected);
    assertThat(requests).containsExactly("HEAD /v2/team/builder/manifests/17", "GET /v2/team/builder/manifests/17");
  }

  @Test
  void aBearerChallengeIsAnsweredWithATokenThatIsReused() throws Exception {
    auth = "bearer";
    RegistryDigestResolver resolver = resolver(Optional.of(new RegistryCredentials("s2i", PASSWORD)));

    assertThat(resolver.currentId(registry + "/team/builder:17")).contains(DIGEST);
    assertThat(resolver.currentId(registry + "/team/builder:17")).contains(DIGEST);

    assertThat(requests).containsExactly(
        "HEAD /v2/team/builder/manifests/17",
        "GET /token?scope=repository%3Ateam%2Fbuilder%3Apull&service=test-registry Basic",
        "HEAD /v2/team/builder/manifests/17 Bearer",
        "HEAD /v2/team/builder/manifests/17 Bearer");
  }

  @Test
  void anIdentityTokenIsExchangedByTheOauthForm() throws Exception {
    auth = "bearer";
    RegistryDigestResolver resolver = resolver(Optional.of(new RegistryCredentials(RegistryCredentials.IDENTITY_TOKEN_USER, PASSWORD)));

    assertThat(resolver.currentId(registry + "/team/builder:17")).contains(DIGEST);
    assertThat(requests.get(1)).startsWith("POST /token ").contains("grant_type=refresh_token")
        .contains("refresh_token=<pw>").contains("service=test-registry");
  }

  @Test
  void basicAuthenticationUsesTheCredentials() throws Exception {
    auth = "basic";

    assertThat(resolver(Optional.of(new RegistryCredentials("s2i", PASSWORD))).currentId(registry + "/team/builder:17"))
        .contains(DIGEST);
    assertThat(requests).containsExactly("HEAD /v2/team/builder/manifests/17", "HEAD /v2/team/builder/manifests/17 Basic");
  }

  @Test
  void refusedOrMissingCredentialsAreOneLineErrorsWithoutTheSecret() {
    auth = "basic";
    RegistryDigestResolver wrong = resolver(Optional.of(new RegistryCredentials("s2i", "wrong-pw-91")));

    assertThatThrownBy(() -> wrong.currentId(registry + "/team/builder:17")).isInstanceOf(ImageResolutionException.class)
        .hasMessage("registry " + registry + " refused access to " + registry + "/team/builder:17 (HTTP 401): check its credentials")
        .hasMessageNotContaining("wrong-pw-91");
    assertThatThrownBy(() -> RegistryDigestResolver.anonymous().currentId(registry + "/team/builder:17"))
        .hasMessageContaining("needs credentials");
    auth = "bearer";
    assertThatThrownBy(() -> RegistryDigestResolver.anonymous().currentId(registry + "/team/builder:17"))
        .hasMessageContaining("token service").hasMessageContaining("HTTP 401");
  }

  @Test
  void aPinnedReferenceNeedsNoRequestAndAnUnreachableRegistryIsAnError() throws Exception {
    String pinned = registry + "/team/builder@" + DIGEST;

    assertThat(RegistryDigestResolver.anonymous().currentId(pinned)).contains(DIGEST);
    assertThat(requests).isEmpty();
    server.stop(0);
    assertThatThrownBy(() -> RegistryDigestResolver.anonymous().currentId(registry + "/team/builder:17"))
        .isInstanceOf(ImageResolutionException.class).hasMessageContaining("cannot reach registry " + registry);
    assertThatThrownBy(() -> RegistryDigestResolver.anonymous().currentId("Not A Ref"))
        .isInstanceOf(ImageResolutionException.class).hasMessageContaining("invalid reference format");
  }
}
