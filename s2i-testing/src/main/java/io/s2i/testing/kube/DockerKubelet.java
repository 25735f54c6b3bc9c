package io.s2i.testing.kube;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pod-spec runner: a {@link MockCluster.Kubelet} that runs a pod's containers as the spec says
 * with the local Docker engine, so that a Job's pod spec is proved by running it, as far as one
 * machine can: init containers in order, then the containers; each with its image and pull policy,
 * command and args, env (values, ConfigMap and Secret keys, the pod's name, namespace and IP),
 * volume mounts (emptyDirs as shared host directories; ConfigMaps and Secrets written as files with
 * their modes, read-only), security context (privileged, capabilities, user and group, read-only
 * root, no-new-privileges) and memory and CPU limits. Containers use the host's network
 * ({@code --network host}) so they reach the loopback registry and server, as pods reach the
 * cluster's. Logs are taken with {@code docker logs --timestamps}, statuses with
 * {@code docker inspect} (exit code, OOMKilled, start and finish), and every container and
 * directory is removed afterwards, also when the pod is deleted mid-run.
 */
public final class DockerKubelet implements MockCluster.Kubelet {
  private final Path workDir;
  private final List<List<String>> commands = new CopyOnWriteArrayList<>();

  /** A kubelet keeping its volume directories under {@code workDir}. */
  public DockerKubelet(Path workDir) {
    this.workDir = workDir;
  }

  /** The {@code docker run} command lines it ran, for assertions. */
  public List<List<String>> commands() {
    return List.copyOf(commands);
  }

  @Override
  public void run(MockCluster.PodRun run) throws Exception {
    Pod pod = run.pod();
    PodSpec spec = pod.getSpec();
    String podName = pod.getMetadata().getName();
    Path dir = Files.createTempDirectory(workDir, "pod-");
    List<String> containersMade = new ArrayList<>();
    try {
      Map<String, Path> volumes = volumes(run, spec, dir);
      run.status(s -> {
        s.setPhase("Pending");
        s.setPodIP("127.0.0.1");
        return s;
      });
      List<Container> init = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
      for (Container c : init) {
        ContainerStatus st = runContainer(run, c, volumes, podName, containersMade, true);
        if (st == null || st.getState().getTerminated().getExitCode() != 0) {
          run.status(s -> {
            s.setPhase("Failed");
            return s;
          });
          return;
        }
      }
      boolean ok = true;
      for (Container c : spec.getContainers()) {
        ContainerStatus st = runContainer(run, c, volumes, podName, containersMade, false);
        ok &= st != null && st.getState().getTerminated().getExitCode() == 0;
        if (st == null) {
          return;
        }
      }
      boolean succeeded = ok;
      run.status(s -> {
        s.setPhase(succeeded ? "Succeeded" : "Failed");
        return s;
      });
    } finally {
      for (String name : containersMade) {
        docker(List.of("rm", "-f", name));
      }
      deleteTree(dir);
    }
  }

  private Map<String, Path> volumes(MockCluster.PodRun run, PodSpec spec, Path dir) throws IOException {
    Map<String, Path> out = new HashMap<>();
    String ns = run.pod().getMetadata().getNamespace();
    for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      Path d = Files.createDirectories(dir.resolve(v.getName()));
      if (v.getEmptyDir() != null) {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
      } else if (v.getSecret() != null) {
        Secret s = run.client().secrets().inNamespace(ns).withName(v.getSecret().getSecretName()).get();
        if (s == null) {
          throw new IOException("secret " + v.getSecret().getSecretName() + " not found (CreateContainerConfigError)");
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (s.getData() != null) {
          s.getData().forEach((k, b64) -> data.put(k, new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
          data.putAll(s.getStringData());
        }
        write(d, data, v.getSecret().getItems(), v.getSecret().getDefaultMode());
      } else if (v.getConfigMap() != null) {
        ConfigMap c = run.client().configMaps().inNamespace(ns).withName(v.getConfigMap().getName()).get();
        if (c == null) {
          throw new IOException("configmap " + v.getConfigMap().getName() + " not found (CreateContainerConfigError)");
        }
        write(d, c.getData() == null ? Map.of() : c.getData(), v.getConfigMap().getItems(), v.getConfigMap().getDefaultMode());
      } else {
        throw new IOException("volume " + v.getName() + ": only emptyDir, secret and configMap volumes are run here");
      }
      out.put(v.getName(), d);
    }
    return out;
  }

  private static void write(Path dir, Map<String, String> data, List<KeyToPath> items, Integer mode) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    if (items != null && !items.isEmpty()) {
      for (KeyToPath k : items) {
        files.put(k.getPath(), data.get(k.getKey()));
      }
    } else {
      files.putAll(data);
    }
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(octal(mode == null ? 0644 : mode));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue() == null ? "" : f.getValue());
      Files.setPosixFilePermissions(p, perms);
    }
  }

  private static String octal(int mode) {
    String bits = "rwxrwxrwx";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      b.append((mode & (1 << (8 - i))) != 0 ? bits.charAt(i) : '-');
    }
    return b.toString();
  }

  /** Runs one container to its end; null when the pod was deleted meanwhile. */
  private ContainerStatus runContainer(MockCluster.PodRun run, Container c, Map<String, Path> volumes, String podName,
      List<String> made, boolean init) throws IOException, InterruptedException {
    String name = "k8s_" + c.getName() + "_" + podName;
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host",
        "--label", "io.s2i.test.kubelet=" + podName));
    String policy = c.getImagePullPolicy() == null ? "IfNotPresent" : c.getImagePullPolicy();
    cmd.addAll(List.of("--pull", switch (policy) {
      case "Always" -> "always";
      case "Never" -> "never";
      default -> "missing";
    }));
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      cmd.addAll(List.of("-e", e.getName() + "=" + value(run, e)));
    }
    for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
      Path host = volumes.get(m.getName());
      if (host == null) {
        throw new IOException("container " + c.getName() + " mounts unknown volume " + m.getName());
      }
      cmd.addAll(List.of("-v", host + ":" + m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : "")));
    }
    if (c.getWorkingDir() != null) {
      cmd.addAll(List.of("--workdir", c.getWorkingDir()));
    }
    security(c.getSecurityContext(), run.pod().getSpec(), cmd);
    if (c.getResources() != null && c.getResources().getLimits() != null) {
      Quantity mem = c.getResources().getLimits().get("memory");
      if (mem != null) {
        String bytes = Quantity.getAmountInBytes(mem).toBigInteger().toString();
        // pods get no swap (the kubelet's default): the limit is the container's memory, full stop
        cmd.addAll(List.of("--memory", bytes, "--memory-swap", bytes));
      }
      Quantity cpu = c.getResources().getLimits().get("cpu");
      if (cpu != null) {
        cmd.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpu).toPlainString()));
      }
    }
    List<String> args = c.getArgs() == null ? List.of() : c.getArgs();
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      cmd.addAll(List.of("--entrypoint", c.getCommand().get(0)));
      cmd.add(c.getImage());
      cmd.addAll(c.getCommand().subList(1, c.getCommand().size()));
    } else {
      cmd.add(c.getImage());
    }
    cmd.addAll(args);
    commands.add(List.copyOf(cmd));
    made.add(name);
    String started = java.time.Instant.now().toString();
    Result created = docker(cmd);
    if (created.exit != 0) {
      String reason = created.err.contains("No such image") || created.err.contains("pull access denied")
          || created.err.contains("manifest unknown") ? "ErrImageNeverPull" : "CreateContainerError";
      run.container(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withNewState()
          .withNewWaiting().withReason(reason).withMessage(created.err.strip()).endWaiting().endState().build(), init);
      return null;
    }
    run.container(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true)
        .withNewState().withNewRunning().withStartedAt(started).endRunning().endState().build(), init);
    run.status(s -> {
      s.setPhase("Running");
      return s;
    });
    Process logs = new ProcessBuilder("docker", "logs", "--follow", "--timestamps", name)
        .redirectErrorStream(true).start();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(logs.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          run.logTimestamped(c.getName(), line);
        }
      } catch (IOException e) {
        // the container is gone
      }
    });
    pump.setDaemon(true);
    pump.start();
    while (true) {
      String state = docker(List.of("inspect", "-f", "{{.State.Status}}", name)).out.strip();
      if (!state.equals("running") && !state.equals("created")) {
        break;
      }
      if (run.deleted()) {
        docker(List.of("rm", "-f", name));
        logs.destroy();
        return null;
      }
      Thread.sleep(200);
    }
    pump.join(10_000);
    logs.destroy();
    String[] st = docker(List.of("inspect", "-f", "{{.State.ExitCode}} {{.State.OOMKilled}} {{.State.StartedAt}} {{.State.FinishedAt}}",
        name)).out.strip().split(" ");
    int exit = Integer.parseInt(st[0]);
    boolean oom = Boolean.parseBoolean(st[1]);
    String message = null;
    if (exit != 0 && "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())) {
      List<String> lines = run.lines(c.getName());
      StringBuilder b = new StringBuilder();
      for (String l : lines.subList(Math.max(0, lines.size() - 80), lines.size())) {
        b.append(l.substring(l.indexOf(' ') + 1)).append('\n');
      }
      message = b.length() > 2048 ? b.substring(b.length() - 2048) : b.toString();
    }
    ContainerStatus done = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
        .withNewState().withNewTerminated().withExitCode(exit)
        .withReason(oom ? "OOMKilled" : exit == 0 ? "Completed" : "Error")
        .withMessage(message).withStartedAt(st[2]).withFinishedAt(st[3]).endTerminated().endState().build();
    run.container(done, init);
    return done;
  }

  private static void security(SecurityContext sc, PodSpec pod, List<String> cmd) {
    Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
        : pod.getSecurityContext() == null ? null : pod.getSecurityContext().getRunAsUser();
    Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup()
        : pod.getSecurityContext() == null ? null : pod.getSecurityContext().getRunAsGroup();
    if (user != null) {
      cmd.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
    }
    if (sc == null) {
      return;
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      cmd.add("--privileged");
    }
    Capabilities caps = sc.getCapabilities();
    if (caps != null) {
      (caps.getDrop() == null ? List.<String>of() : caps.getDrop()).forEach(d -> cmd.addAll(List.of("--cap-drop", d)));
      (caps.getAdd() == null ? List.<String>of() : caps.getAdd()).forEach(a -> cmd.addAll(List.of("--cap-add", a)));
    }
    if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      cmd.add("--read-only");
    }
    if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      cmd.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    if (sc.getSeccompProfile() != null && "Unconfined".equals(sc.getSeccompProfile().getType())) {
      cmd.addAll(List.of("--security-opt", "seccomp=unconfined"));
    }
    if (sc.getAppArmorProfile() != null && "Unconfined".equals(sc.getAppArmorProfile().getType())) {
      cmd.addAll(List.of("--security-opt", "apparmor=unconfined"));
    }
  }

  private static String value(MockCluster.PodRun run, EnvVar e) throws IOException {
    if (e.getValueFrom() == null) {
      return e.getValue() == null ? "" : e.getValue();
    }
    EnvVarSource from = e.getValueFrom();
    String ns = run.pod().getMetadata().getNamespace();
    if (from.getConfigMapKeyRef() != null) {
      ConfigMap c = run.client().configMaps().inNamespace(ns).withName(from.getConfigMapKeyRef().getName()).get();
      if (c == null || c.getData() == null || !c.getData().containsKey(from.getConfigMapKeyRef().getKey())) {
        throw new IOException("env " + e.getName() + ": configmap key not found (CreateContainerConfigError)");
      }
      return c.getData().get(from.getConfigMapKeyRef().getKey());
    }
    if (from.getSecretKeyRef() != null) {
      Secret s = run.client().secrets().inNamespace(ns).withName(from.getSecretKeyRef().getName()).get();
      String key = from.getSecretKeyRef().getKey();
      if (s != null && s.getStringData() != null && s.getStringData().containsKey(key)) {
        return s.getStringData().get(key);
      }
      if (s != null && s.getData() != null && s.getData().containsKey(key)) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
      }
      throw new IOException("env " + e.getName() + ": secret key not found (CreateContainerConfigError)");
    }
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> run.pod().getMetadata().getName();
        case "metadata.namespace" -> ns;
        case "status.podIP", "status.hostIP" -> "127.0.0.1";
        default -> throw new IOException("env " + e.getName() + ": fieldRef " + from.getFieldRef().getFieldPath()
            + " is not run here");
      };
    }
    throw new IOException("env " + e.getName() + ": this valueFrom is not run here");
  }

  private record Result(int exit, String out, String err) {}

  private static Result docker(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("docker " + String.join(" ", args) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left in the test's temp dir
    }
  }
}
