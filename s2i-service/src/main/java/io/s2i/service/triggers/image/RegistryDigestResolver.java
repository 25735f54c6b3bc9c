package io.s2i.service.triggers.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s2i.api.ImageRef;
import io.s2i.api.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Images in a registry: the digest of the manifest a tag names, read with
 * {@code HEAD /v2/NAME/manifests/TAG} (its {@code Docker-Content-Digest}) as the distribution
 * spec defines it, accepting Docker v2 and OCI manifests and manifest lists / image indexes, so a
 * multi-platform tag is followed by its list's digest.
 *
 * <p>Why not the library or jib: the library's API has no remote digest lookup (its registry
 * client is internal), and jib's {@code RegistryClient.checkManifest} is a {@code GET} of the
 * whole manifest; a {@code HEAD} is what registries expect from pollers (Docker Hub does not count
 * it against pull limits). Anonymous access, basic authentication and bearer tokens (the
 * {@code WWW-Authenticate} challenge, with the credentials for the registry when there are any,
 * including identity tokens) are supported; tokens are reused until they expire.
 *
 * <p>Registries are reached over HTTPS, checked against the JVM's trust store; plain HTTP only for
 * loopback registries (127.0.0.0/8, {@code localhost}, {@code ::1}), as Docker allows. Redirects
 * are not followed, so a credential or token never goes to another host than the one challenged
 * for. A reference pinned by digest names that digest for ever.
 */
public final class RegistryDigestResolver implements ImageResolver {
  /** The manifest types accepted, lists first. */
  static final String ACCEPT = String.join(", ",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Gives the credentials for a registry host ({@code quay.io}, {@code 127.0.0.1:5000}); empty for anonymous access. */
  @FunctionalInterface
  public interface CredentialSource {
    Optional<RegistryCredentials> forRegistry(String registry);
  }

  private final HttpClient http;
  private final CredentialSource credentials;
  private final Predicate<String> plainHttp;
  private final Duration timeout;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private RegistryDigestResolver(Builder b) {
    this.http = b.http != null ? b.http
        : HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.credentials = b.credentials;
    this.plainHttp = b.plainHttp;
    this.timeout = b.timeout;
    this.clock = b.clock;
  }

  /** A resolver with anonymous access, default timeouts and plain HTTP for loopback registries only. */
  public static RegistryDigestResolver anonymous() {
    return builder().build();
  }

  /** A builder for a resolver. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RegistryDigestResolver}. */
  public static final class Builder {
    private HttpClient http;
    private CredentialSource credentials = registry -> Optional.empty();
    private Predicate<String> plainHttp = RegistryDigestResolver::isLoopback;
    private Duration timeout = Duration.ofSeconds(20);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The HTTP client (for a trust store of its own); it must not follow redirects. */
    public Builder httpClient(HttpClient client) {
      this.http = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Where credentials come from (the configuration's pull secret, Docker's config). */
    public Builder credentials(CredentialSource source) {
      this.credentials = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Which registry hosts are spoken to in plain HTTP (default: loopback ones). */
    public Builder plainHttp(Predicate<String> registries) {
      this.plainHttp = Objects.requireNonNull(registries, "registries");
      return this;
    }

    /** The time limit of each request (default 20 s). */
    public Builder timeout(Duration limit) {
      this.timeout = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** The clock tokens expire by. */
    public Builder clock(Clock source) {
      this.clock = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The resolver. */
    public RegistryDigestResolver build() {
      return new RegistryDigestResolver(this);
    }
  }

  /** A bearer token and when it stops being used. */
  private record Token(String value, Instant expires) {}

  @Override
  public Optional<String> currentId(String image) throws ImageResolutionException {
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (IllegalArgumentException e) {
      throw new ImageResolutionException(e.getMessage());
    }
    if (ref.digest().isPresent()) {
      return ref.digest();
    }
    String registry = ref.registry().orElse("docker.io");
    String host = registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    String repository = registry.equals("docker.io") && !ref.repository().contains("/")
        ? "library/" + ref.repository() : ref.repository();
    String tag = ref.tag().orElse("latest");
    URI manifest = URI.create((plainHttp.test(registry) ? "http://" : "https://") + host + "/v2/" + repository
        + "/manifests/" + tag);
    try {
      return resolve(registry, repository, manifest, image);
    } catch (IOException e) {
      throw new ImageResolutionException("cannot reach registry " + registry + " for " + image + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageResolutionException("interrupted while asking registry " + registry + " for " + image, e);
    }
  }

  private Optional<String> resolve(String registry, String repository, URI manifest, String image)
      throws IOException, InterruptedException, ImageResolutionException {
    String tokenKey = registry + "/" + repository;
    Optional<String> authorization = cachedToken(tokenKey).map(t -> "Bearer " + t);
    HttpResponse<Void> head = send(manifest, "HEAD", authorization);
    if (head.statusCode() == 401) {
      AuthChallenge challenge = head.headers().firstValue("WWW-Authenticate").flatMap(AuthChallenge::parse)
          .orElseThrow(() -> new ImageResolutionException("registry " + registry
              + " answered 401 without a WWW-Authenticate challenge for " + image));
      authorization = Optional.of(authorize(challenge, registry, repository, manifest, tokenKey));
      head = send(manifest, "HEAD", authorization);
    }
    int status = head.statusCode();
    if (status == 404) {
      return Optional.empty();
    }
    if (status == 401 || status == 403) {
      throw new ImageResolutionException("registry " + registry + " refused access to " + image + " (HTTP " + status
          + ")" + (credentials.forRegistry(registry).isPresent() ? ": check its credentials" : ": it needs credentials"));
    }
    if (status != 200) {
      throw new ImageResolutionException("registry " + registry + " answered HTTP " + status + " for " + image);
    }
    Optional<String> digest = head.headers().firstValue("Docker-Content-Digest").map(String::trim);
    if (digest.isPresent()) {
      if (!DIGEST.matcher(digest.get()).matches()) {
        throw new ImageResolutionException("registry " + registry + " gave a malformed digest for " + image);
      }
      return digest;
    }
    return Optional.of(digestOfBody(manifest, authorization, registry, image));
  }

  /** Some registries leave the digest header off HEAD answers: the digest of the manifest's bytes then. */
  private String digestOfBody(URI manifest, Optional<String> authorization, String registry, String image)
      throws IOException, InterruptedException, ImageResolutionException {
    HttpRequest.Builder get = HttpRequest.newBuilder(manifest).timeout(timeout).GET().header("Accept", ACCEPT);
    authorization.ifPresent(a -> get.header("Authorization", a));
    HttpResponse<InputStream> response = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new ImageResolutionException("registry " + registry + " answered HTTP " + response.statusCode()
            + " to GET the manifest of " + image);
      }
      byte[] body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (body.length > MAX_MANIFEST_BYTES) {
        throw new ImageResolutionException("the manifest of " + image + " is larger than 4 MiB");
      }
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<Void> send(URI uri, String method, Optional<String> authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", ACCEPT);
    authorization.ifPresent(a -> request.header("Authorization", a));
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
  }

  private Optional<String> cachedToken(String key) {
    Token token = tokens.get(key);
    if (token == null || !clock.instant().isBefore(token.expires())) {
      return Optional.empty();
    }
    return Optional.of(token.value());
  }

  /** The {@code Authorization} value that answers {@code challenge}. */
  private String authorize(AuthChallenge challenge, String registry, String repository, URI manifest, String tokenKey)
      throws IOException, InterruptedException, ImageResolutionException {
    Optional<RegistryCredentials> creds = credentials.forRegistry(registry);
    if (challenge.scheme().equals("basic")) {
      RegistryCredentials c = creds.orElseThrow(() -> new ImageResolutionException(
          "registry " + registry + " needs credentials (basic authentication) and none are configured"));
      return "Basic " + basic(c);
    }
    if (!challenge.scheme().equals("bearer")) {
      throw new ImageResolutionException("registry " + registry + " asks for authentication scheme \""
          + challenge.scheme() + "\", which is not supported");
    }
    URI realm;
    try {
      realm = URI.create(challenge.parameter("realm").orElseThrow(() -> new ImageResolutionException(
          "registry " + registry + " sent a bearer challenge without realm")));
    } catch (IllegalArgumentException e) {
      throw new ImageResolutionException("registry " + registry + " sent a malformed token realm");
    }
    if (!"https".equals(realm.getScheme()) && !("http".equals(realm.getScheme()) && manifest.getScheme().equals("http"))) {
      throw new ImageResolutionException("registry " + registry + " sent a token realm that is not https");
    }
    String scope = challenge.parameter("scope").orElse("repository:" + repository + ":pull");
    Optional<String> service = challenge.parameter("service");
    HttpRequest.Builder request;
    if (creds.isPresent() && creds.get().isIdentityToken()) {
      // Docker's identity (refresh) tokens are exchanged by the OAuth2 form POST.
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=s2i-java&refresh_token=")
          .append(encode(creds.get().secret())).append("&scope=").append(encode(scope));
      service.ifPresent(s -> form.append("&service=").append(encode(s)));
      request = HttpRequest.newBuilder(realm).timeout(timeout).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } else {
      StringBuilder query = new StringBuilder(realm.getRawQuery() == null ? "" : realm.getRawQuery() + "&");
      query.append("scope=").append(encode(scope));
      service.ifPresent(s -> query.append("&service=").append(encode(s)));
      String base = realm.toString();
      int q = base.indexOf('?');
      request = HttpRequest.newBuilder(URI.create((q < 0 ? base : base.substring(0, q)) + "?" + query))
          .timeout(timeout).GET();
      creds.ifPresent(c -> request.header("Authorization", "Basic " + basic(c)));
    }
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    JsonNode body;
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(1024 * 1024);
      if (response.statusCode() != 200) {
        throw new ImageResolutionException("the token service of registry " + registry + " answered HTTP "
            + response.statusCode() + (creds.isPresent() ? ": check the credentials" : ": the image may need credentials"));
      }
      body = JSON.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ImageResolutionException("the token service of registry " + registry + " answered malformed JSON");
    }
    String token = body.path("token").asText(body.path("access_token").asText(""));
    if (token.isEmpty()) {
      throw new ImageResolutionException("the token service of registry " + registry + " gave no token");
    }
    // The spec's default lifetime is 60 s; keep a margin so a token is not used as it expires.
    long seconds = Math.max(body.path("expires_in").asLong(60), 10);
    tokens.put(tokenKey, new Token(token, clock.instant().plusSeconds(seconds - 5)));
    return "Bearer " + token;
  }

  private static String basic(RegistryCredentials c) {
    return Base64.getEncoder().encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * Whether a registry host ({@code host[:port]}) is this machine: {@code localhost}, 127.0.0.0/8
   * or {@code ::1}. No name is resolved.
   */
  public static boolean isLoopback(String registry) {
    String host = registry.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(1, end) : host;
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.equals("localhost") || host.equals("::1")) {
      return true;
    }
    return host.matches("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  }
}
