package io.s2i.cli.service;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.service.executor.kubernetes.KubernetesExecutor;
import io.s2i.service.executor.kubernetes.KubernetesSettings;
import io.s2i.service.model.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Makes the kubernetes executor of {@code s2i serve --executor kubernetes}: its settings file, the
 * cluster as fabric8's client finds it (a pod's service account, else {@code KUBECONFIG} or
 * {@code ~/.kube/config}), and a first request that tells at once when the cluster cannot be
 * reached or the server may not manage Jobs there.
 */
final class KubernetesExecutors {
  private KubernetesExecutors() {}

  static KubernetesExecutor open(Path config, String image, String serverUrl) throws S2iException {
    KubernetesSettings settings;
    try {
      settings = config == null ? KubernetesSettings.defaults() : KubernetesSettings.load(config);
      if (image != null) {
        settings = settings.withImage(image);
      }
      if (serverUrl != null) {
        settings = settings.withServerUrl(serverUrl);
      }
    } catch (InvalidInputException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, e.getMessage(), "see docs/kubernetes.md for the settings");
    } catch (IOException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "--kubernetes-config " + config + " cannot be read: "
          + e.getMessage(), null);
    }
    KubernetesClient client = io.s2i.service.executor.kubernetes.KubernetesClients.create();
    KubernetesExecutor executor = new KubernetesExecutor(client, settings, Clock.systemUTC());
    try {
      client.batch().v1().jobs().inNamespace(executor.namespace()).list(
          new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      executor.close();
      String why = e.getCode() == 401 || e.getCode() == 403
          ? "may not list Jobs in namespace " + executor.namespace() + " (HTTP " + e.getCode() + ")"
          : "cannot reach the cluster at " + client.getMasterUrl() + ": " + oneLine(e.getMessage());
      throw new S2iException(FailureReason.ENGINE_UNAVAILABLE, "the kubernetes executor " + why,
          "check KUBECONFIG (or the pod's service account) and the RBAC of docs/kubernetes.md");
    }
    return executor;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').strip();
  }
}
