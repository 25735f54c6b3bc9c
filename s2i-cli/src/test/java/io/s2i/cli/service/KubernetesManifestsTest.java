package io.s2i.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.s2i.cli.S2iCli;
import io.s2i.service.executor.kubernetes.KubernetesSettings;
import io.s2i.testing.kube.DocumentedManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The manifests and settings in docs/kubernetes.md, as far as they can be checked without a
 * cluster (none can run on these machines): every manifest is a valid object of its kind, the
 * server's Deployment starts {@code s2i serve} with arguments this CLI accepts, its settings file
 * loads, and the names the manifests refer to each other by (service accounts, the Role, Secret
 * keys, ConfigMap keys, volumes) exist. Whether the Role allows every call the executor makes is
 * {@code KubernetesExecutorTest}'s check.
 */
class KubernetesManifestsTest {
  static DocumentedManifests doc;
  static List<HasMetadata> manifests;
  @TempDir Path tmp;

  @BeforeAll
  static void read() throws IOException {
    doc = DocumentedManifests.read();
    manifests = doc.manifests();
  }

  static <T extends HasMetadata> T one(Class<T> kind, String name) {
    return manifests.stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " in docs/kubernetes.md"));
  }

  @Test
  void everyManifestIsATypedObjectInTheNamespace() {
    assertThat(manifests).extracting(HasMetadata::getKind).containsExactly("Namespace", "ServiceAccount",
        "ServiceAccount", "Role", "RoleBinding", "Secret", "StatefulSet", "Service", "ConfigMap", "Deployment",
        "Service");
    for (HasMetadata o : manifests) {
      if (!(o instanceof Namespace)) {
        assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName()).isEqualTo("s2i");
      }
    }
    // build pods add CAP_SYS_ADMIN by default: Pod Security's baseline level would refuse them
    assertThat(KubernetesSettings.leastPrivilege().getCapabilities().getAdd()).contains("SYS_ADMIN");
    assertThat(one(Namespace.class, "s2i").getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(one(StatefulSet.class, "s2i-postgres").getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
  }

  @Test
  void theServerRunsWithItsServiceAccountBoundToTheRoleAndBuildPodsGetNoToken() {
    PodSpec pod = one(Deployment.class, "s2i").getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("s2i-server");
    one(ServiceAccount.class, "s2i-server");
    RoleBinding binding = one(RoleBinding.class, "s2i-server");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    one(Role.class, binding.getRoleRef().getName());
    assertThat(binding.getSubjects()).anySatisfy(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("s2i-server");
    });
    assertThat(one(ServiceAccount.class, "s2i-builder").getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void theServersArgumentsAreAcceptedByServeAndItsSettingsLoad() throws Exception {
    PodSpec pod = one(Deployment.class, "s2i").getSpec().getTemplate().getSpec();
    Container server = pod.getContainers().get(0);
    Secret secrets = one(Secret.class, "s2i-secrets");
    List<String> args = new ArrayList<>();
    for (String a : server.getArgs()) {
      // Kubernetes expands $(VAR) from the container's env
      Matcher v = Pattern.compile("\\$\\((\\w+)\\)").matcher(a);
      StringBuilder b = new StringBuilder();
      while (v.find()) {
        v.appendReplacement(b, Matcher.quoteReplacement(envValue(server, v.group(1), secrets)));
      }
      v.appendTail(b);
      args.add(b.toString());
    }
    assertThat(args.get(0)).isEqualTo("serve");
    CommandLine.ParseResult parsed = S2iCli.commandLine().parseArgs(args.toArray(String[]::new));
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(serve.executorName).isEqualTo("kubernetes");
    assertThat(serve.database).startsWith("jdbc:postgresql://s2i-postgres:5432/");
    assertThat(serve.onInterrupted).isIn("error", "rerun");
    assertThat(serve.allowRemote).isTrue();
    assertThat(serve.serverUrl).isEqualTo("http://127.0.0.1:8080");

    // --kubernetes-config and --data-dir are where the pod mounts them
    assertThat(mountedFile(pod, server, serve.kubernetesConfig.toString())).isNotNull();
    assertThat(server.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains(serve.dataDir.toString());
    String settingsYaml = mountedFile(pod, server, serve.kubernetesConfig.toString());
    Path settingsFile = Files.writeString(tmp.resolve("kubernetes.yaml"), settingsYaml);
    KubernetesSettings settings = KubernetesSettings.load(settingsFile);
    assertThat(settings.namespace()).isEqualTo("s2i");
    one(ServiceAccount.class, settings.serviceAccountName());

    // the probes ask the server's health route
    assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");

    // the init container copies the API token from a key the Secret has
    Volume secretVolume = pod.getVolumes().stream().filter(vol -> vol.getSecret() != null).findFirst().orElseThrow();
    assertThat(secretVolume.getSecret().getSecretName()).isEqualTo("s2i-secrets");
    secretVolume.getSecret().getItems().forEach(i -> assertThat(secrets.getStringData()).containsKey(i.getKey()));
    assertThat(secrets.getStringData().get("api-token")).hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void theSettingsExampleLoads() throws Exception {
    KubernetesSettings s = KubernetesSettings.load(Files.writeString(tmp.resolve("example.yaml"),
        doc.yamlBlock("Settings")));
    assertThat(s.resources().getLimits()).containsKey("memory");
    assertThat(s.nodeSelector()).isNotEmpty();
    assertThat(s.tolerations()).isNotEmpty();
    assertThat(s.securityContext().getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
  }

  /** The value of {@code name} in the container's env, resolved from the Secret when it refers to one. */
  static String envValue(Container c, String name, Secret secrets) {
    EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("$(" + name + ") is not in the server's env"));
    if (e.getValue() != null) {
      return e.getValue();
    }
    if (e.getValueFrom().getSecretKeyRef() != null) {
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secrets.getMetadata().getName());
      String v = secrets.getStringData().get(e.getValueFrom().getSecretKeyRef().getKey());
      assertThat(v).as("key " + e.getValueFrom().getSecretKeyRef().getKey() + " of the Secret").isNotNull();
      return v;
    }
    assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    return "127.0.0.1";
  }

  /** The content of {@code path} when a ConfigMap volume of the pod puts it there. */
  static String mountedFile(PodSpec pod, Container c, String path) {
    for (VolumeMount m : c.getVolumeMounts()) {
      if (!path.startsWith(m.getMountPath() + "/")) {
        continue;
      }
      Volume v = pod.getVolumes().stream().filter(vol -> vol.getName().equals(m.getName())).findFirst().orElseThrow();
      if (v.getConfigMap() != null) {
        Map<String, String> data = one(ConfigMap.class, v.getConfigMap().getName()).getData();
        return data.get(path.substring(m.getMountPath().length() + 1));
      }
    }
    return null;
  }
}
