package io.s2i.service.triggers.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookUrlsTest {
  private final WebhookUrls urls = new WebhookUrls(URI.create("https://s2i.example.com/"));

  @Test
  void signedProvidersGetUrlsWithoutSecret() {
    assertThat(urls.url("app", "github", Optional.of("s3cret"))).hasToString("https://s2i.example.com/api/v1/webhooks/app/github");
    assertThat(urls.url("app", "gitlab", Optional.empty())).hasToString("https://s2i.example.com/api/v1/webhooks/app/gitlab");
    assertThat(urls.url("app", "bitbucket", Optional.empty())).hasToString("https://s2i.example.com/api/v1/webhooks/app/bitbucket");
  }

  @Test
  void theGenericUrlEndsWithTheSecretAndDescribeHidesIt() {
    assertThat(urls.url("app", "generic", Optional.of("s3cret"))).hasToString("https://s2i.example.com/api/v1/webhooks/app/generic/s3cret");
    assertThat(urls.describe("app", "generic")).isEqualTo("https://s2i.example.com/api/v1/webhooks/app/generic/<secret>");
    assertThat(urls.describe("app", "github")).isEqualTo("https://s2i.example.com/api/v1/webhooks/app/github");
    assertThatThrownBy(() -> urls.url("app", "generic", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void openShiftsFormIsBuiltAsOcPrintsIt() {
    assertThat(urls.openShift("myproject", "app", "github", "s3cret")).hasToString(
        "https://s2i.example.com/apis/build.openshift.io/v1/namespaces/myproject/buildconfigs/app/webhooks/s3cret/github");
  }

  @Test
  void bothFormsParseBack() {
    WebhookRoute s2i = WebhookRoute.parse(urls.url("app", "generic", Optional.of("s3cret")).getRawPath()).orElseThrow();
    WebhookRoute github = WebhookRoute.parse("/api/v1/webhooks/app/github").orElseThrow();
    WebhookRoute bitbucketWithSecret = WebhookRoute.parse("/api/v1/webhooks/app/bitbucket/s3cret/").orElseThrow();
    WebhookRoute openShift = WebhookRoute.parse(
        urls.openShift("myproject", "app", "gitlab", "s3cret").getRawPath()).orElseThrow();

    assertThat(s2i).isEqualTo(new WebhookRoute(Optional.empty(), "app", "generic", Optional.of("s3cret")));
    assertThat(github).isEqualTo(new WebhookRoute(Optional.empty(), "app", "github", Optional.empty()));
    assertThat(bitbucketWithSecret.secret()).contains("s3cret");
    assertThat(openShift).isEqualTo(new WebhookRoute(Optional.of("myproject"), "app", "gitlab", Optional.of("s3cret")));
  }

  @Test
  void secretsWithAnyCharacterSurviveTheRoundTrip() {
    String secret = "a/b c+d?e#f%g&h=é";

    URI url = urls.url("app", "generic", Optional.of(secret));

    assertThat(url.getRawPath()).isEqualTo("/api/v1/webhooks/app/generic/a%2Fb%20c%2Bd%3Fe%23f%25g%26h%3D%C3%A9");
    assertThat(WebhookRoute.parse(url.getRawPath()).orElseThrow().secret()).contains(secret);
  }

  @Test
  void otherPathsAreNotWebhooks() {
    for (String path : new String[] {"/api/v1/webhooks/app", "/api/v1/webhooks/app/github/s/extra", "/api/v1/webhooks//github",
        "/webhooks/app/github", "/api/v1/configs/app", "/api/v1/webhooks/app/generic/%zz",
        "/apis/build.openshift.io/v1/namespaces/p/buildconfigs/app/webhooks/github",
        "/apis/build.openshift.io/v1/namespaces/p/builds/app/webhooks/s/github", null}) {
      assertThat(WebhookRoute.parse(path)).as(String.valueOf(path)).isEmpty();
    }
  }

  @Test
  void aRouteDoesNotPrintItsSecret() {
    assertThat(WebhookRoute.parse("/api/v1/webhooks/app/generic/s3cret").orElseThrow().toString())
        .doesNotContain("s3cret").contains("***");
  }
}
