package io.s2i.service.executor.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

/**
 * fabric8 clients on the JDK's HTTP client speaking HTTP/1.1. The JDK client's default (HTTP/2)
 * tries a cleartext upgrade on {@code http://} API servers ({@code kubectl proxy}, test servers),
 * which loses request bodies on some of them; the Kubernetes API needs nothing of HTTP/2.
 */
public final class KubernetesClients {
  private KubernetesClients() {}

  /** A client configured as fabric8 finds it (a pod's service account, KUBECONFIG, ~/.kube/config). */
  public static KubernetesClient create() {
    return new KubernetesClientBuilder().withHttpClientFactory(new Http11()).build();
  }

  /** A client with this configuration. */
  public static KubernetesClient create(Config config) {
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Http11()).build();
  }

  /** The JDK client factory, HTTP/1.1 only. */
  static final class Http11 extends JdkHttpClientFactory {
    @Override
    protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
      builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
    }
  }
}
