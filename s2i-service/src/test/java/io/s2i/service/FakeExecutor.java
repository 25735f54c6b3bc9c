package io.s2i.service;

import io.s2i.service.executor.BuildExecutor;
import io.s2i.service.executor.BuildJob;
import io.s2i.service.executor.BuildReporter;
import io.s2i.service.model.BuildPhase;
import io.s2i.service.model.BuildReasons;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.store.BuildOutcome;
import io.s2i.service.store.StoredBuild;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * An executor for the fast tests: no engine. Each build prints its env, then {@code LINES} lines
 * {@code SLEEP_MS} apart, and fails when {@code FAIL=1}. It records how many ran at once per
 * configuration and in all.
 */
final class FakeExecutor implements BuildExecutor {
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final Map<String, AtomicInteger> runningPerConfig = new ConcurrentHashMap<>();
  final Map<String, Integer> maxPerConfig = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public BuildOutcome run(BuildJob job, BuildReporter reporter) throws InterruptedException {
    String config = job.build().build().config();
    runs.computeIfAbsent(job.build().build().name(), k -> new AtomicInteger()).incrementAndGet();
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    int mine = runningPerConfig.computeIfAbsent(config, k -> new AtomicInteger()).incrementAndGet();
    maxPerConfig.merge(config, mine, Math::max);
    try {
      reporter.running();
      Map<String, String> env = io.s2i.service.executor.RequestMapper.env(job.build().config(),
          job.build().build().options()).stream().collect(Collectors.toMap(EnvEntry::name, EnvEntry::value, (a, b) -> b));
      env.forEach((k, v) -> reporter.log("env " + k + "=" + v));
      int lines = Integer.parseInt(env.getOrDefault("LINES", "3"));
      long sleep = Long.parseLong(env.getOrDefault("SLEEP_MS", "10"));
      reporter.stepStarted("FetchSource");
      reporter.stepFinished("FetchSource", Duration.ofMillis(1), true);
      reporter.stepStarted("Assemble");
      for (int i = 1; i <= lines; i++) {
        reporter.log("line " + i);
        Thread.sleep(sleep);
      }
      boolean fail = "1".equals(env.get("FAIL"));
      reporter.stepFinished("Assemble", Duration.ofMillis(lines * sleep), !fail);
      if (fail) {
        reporter.log("assemble failed on purpose");
        return new BuildOutcome(BuildPhase.Failed, BuildReasons.ASSEMBLE_FAILED, "assemble exited 1",
            null, null, null, null, null);
      }
      return new BuildOutcome(BuildPhase.Complete, null, null, null, null, "sha256:fake", null, null);
    } finally {
      running.decrementAndGet();
      runningPerConfig.get(config).decrementAndGet();
    }
  }

  @Override
  public List<String> cleanUpInterrupted(List<StoredBuild> builds) {
    return List.of("fake clean-up of " + builds.size() + " builds");
  }
}
