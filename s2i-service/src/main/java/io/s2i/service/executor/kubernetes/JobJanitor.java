package io.s2i.service.executor.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.s2i.service.executor.ExecutorContext;
import io.s2i.service.model.BuildPhase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears up what builds left in the namespace (this installation's objects only, by the
 * {@code s2i.io/instance} label): the Job, spec and secrets of a build that no longer exists (pruned
 * by the history limits, deleted with its configuration); a Job still running for a build that has
 * ended (settled after its server died); a finished Job past its {@code ttlSecondsAfterFinished}
 * (for clusters whose TTL controller is off); and a spec or secret whose build ended. Any server
 * sharing the database may do it; every step is a delete that may already have happened.
 */
final class JobJanitor {
  private static final Logger LOG = LoggerFactory.getLogger(JobJanitor.class);
  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final String namespace;
  private final ExecutorContext context;
  private final Clock clock;

  JobJanitor(KubernetesClient client, KubernetesSettings settings, String namespace, ExecutorContext context,
      Clock clock) {
    this.client = client;
    this.settings = settings;
    this.namespace = namespace;
    this.context = context;
    this.clock = clock;
  }

  /** One sweep; returns what it deleted (kind/name), for tests and the server's log. */
  List<String> sweep() {
    List<String> deleted = new ArrayList<>();
    try {
      Map<String, String> mine = Map.of(BuildObjects.MANAGED_BY, BuildObjects.MANAGER,
          BuildObjects.INSTANCE, settings.instance());
      for (Job j : client.batch().v1().jobs().inNamespace(namespace).withLabels(mine).list().getItems()) {
        Optional<BuildPhase> phase = phase(j);
        boolean gone = phase.isEmpty();
        boolean finished = j.getStatus() != null && (j.getStatus().getCompletionTime() != null
            || j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())));
        boolean strayRunning = phase.isPresent() && phase.get().isTerminal() && !finished;
        boolean expired = finished && phase.map(BuildPhase::isTerminal).orElse(true) && expired(j);
        if (gone || strayRunning || expired) {
          client.batch().v1().jobs().inNamespace(namespace).withName(j.getMetadata().getName())
              .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
          deleted.add("Job/" + j.getMetadata().getName());
        }
      }
      List<HasMetadata> companions = new ArrayList<>();
      companions.addAll(client.configMaps().inNamespace(namespace).withLabels(mine).list().getItems());
      companions.addAll(client.secrets().inNamespace(namespace).withLabels(mine).list().getItems());
      for (HasMetadata o : companions) {
        if (phase(o).map(BuildPhase::isTerminal).orElse(true)) {
          client.resource(o).inNamespace(namespace).delete();
          deleted.add(o.getKind() + "/" + o.getMetadata().getName());
        }
      }
      if (!deleted.isEmpty()) {
        LOG.info("cleared up in namespace {}: {}", namespace, deleted);
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      LOG.warn("clearing up the Jobs of ended builds failed (tried again later): {}", e.getMessage());
    }
    return deleted;
  }

  private Optional<BuildPhase> phase(HasMetadata o) {
    String id = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(BuildObjects.BUILD_ID);
    if (id == null || !id.matches("\\d{1,18}")) {
      return Optional.empty();
    }
    return context.phase(Long.parseLong(id));
  }

  private boolean expired(Job j) {
    String done = j.getStatus().getCompletionTime();
    if (done == null && j.getStatus().getConditions() != null) {
      done = j.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
          .map(c -> c.getLastTransitionTime()).filter(t -> t != null).findFirst().orElse(null);
    }
    if (done == null) {
      return false;
    }
    try {
      return Instant.parse(done).plusSeconds(settings.ttlSecondsAfterFinished()).isBefore(clock.instant());
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }
}
