package io.s2i.examples.embedding;

import io.s2i.S2i;
import io.s2i.api.BuildEvent;
import io.s2i.api.BuildRequest;
import io.s2i.api.BuildResult;
import io.s2i.api.EnvVar;
import io.s2i.api.EventSink;
import io.s2i.api.ImageRef;
import io.s2i.api.InvalidBuildRequestException;
import io.s2i.api.PullPolicy;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.api.UsageRequest;
import io.s2i.api.UsageResult;
import io.s2i.engine.ContainerEngine;
import io.s2i.engine.EngineResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * s2i used as a library: the code the embedding guide ({@code docs/library.md}) quotes, region by
 * region ({@code tag::NAME[]}), and {@code EmbeddingExampleIT} runs against the real engine.
 *
 * <pre>
 * java -cp ... io.s2i.examples.embedding.EmbeddingExample SOURCE BUILDER TAG
 * </pre>
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  // tag::engine[]
  /**
   * Opens the engine named ({@code docker} or {@code oci}), or else the first that answers. The
   * engines are found on the class path; the caller closes the engine when done with it.
   */
  public static ContainerEngine openEngine(Optional<String> name) throws S2iException {
    return EngineResolver.fromClassPath().resolve(name, System.getenv());
  }
  // end::engine[]

  // tag::build[]
  /** Builds {@code source} with {@code builder} into the image {@code tag}. */
  public static BuildResult build(ContainerEngine engine, EventSink events, Path source, String builder, String tag)
      throws S2iException {
    S2i s2i = S2i.builder()
        .engine(engine)
        .events(events)
        .build();
    // The request is checked as it is built: every broken rule is reported at once.
    BuildRequest request = BuildRequest.builder(SourceSpec.local(source.toString()), ImageRef.parse(builder))
        .builderPull(PullPolicy.IF_NOT_PRESENT)
        .tag(ImageRef.parse(tag))
        .env(List.of(new EnvVar("GREETING", "Hello from the embedding example")))
        .build();
    return s2i.build(request);
  }
  // end::build[]

  // tag::events[]
  /** Prints what a build reports: s2i's messages, the scripts' output, steps, pulls and pushes. */
  public static void print(BuildEvent event) {
    if (event instanceof BuildEvent.Log log && log.level().compareTo(BuildEvent.Level.INFO) <= 0) {
      System.err.println(log.level() + ": " + log.message());
    } else if (event instanceof BuildEvent.ContainerOutput line) {
      System.err.println("  | " + line.line());
    } else if (event instanceof BuildEvent.StepFinished step) {
      System.err.println("step " + step.step() + " took " + step.duration().toMillis() + " ms");
    } else if (event instanceof BuildEvent.Transfer transfer && transfer.done()) {
      System.err.println(transfer.action() + " " + transfer.image() + ": done");
    }
  }
  // end::events[]

  // tag::failures[]
  /** What a tool might do with a failure: the reason decides, the message and fix are for people. */
  public static int report(S2iException e) {
    System.err.println("build failed: " + e.getMessage() + e.suggestion().map(fix -> " (fix: " + fix + ")").orElse(""));
    if (e instanceof InvalidBuildRequestException invalid) {
      invalid.violations().forEach(v -> System.err.println("  - " + v));
    }
    switch (e.reason()) {
      case ASSEMBLE_FAILED -> System.err.println("the builder's assemble script failed: see its output above");
      case PULL_BUILDER_IMAGE_FAILED, REGISTRY_FAILED -> System.err.println("check the image name and the registry");
      case INTERRUPTED -> System.err.println("cancelled; nothing was left behind");
      default -> { }
    }
    return e.reason().exitCode(); // the s2i CLI's exit code for the same failure
  }
  // end::failures[]

  // tag::cancel[]
  /**
   * Starts a build on {@code pool}. {@code future.cancel(true)} interrupts it: the build stops,
   * removes its containers and temporary files, and ends with {@code FailureReason.INTERRUPTED}.
   */
  public static Future<BuildResult> buildInBackground(ExecutorService pool, ContainerEngine engine,
      EventSink events, Path source, String builder, String tag) {
    return pool.submit(() -> build(engine, events, source, builder, tag));
  }
  // end::cancel[]

  // tag::usage[]
  /** The builder's usage text ({@code s2i usage}): same shape as a build, one request, one result. */
  public static List<String> usage(ContainerEngine engine, EventSink events, String builder) throws S2iException {
    UsageRequest request = UsageRequest.builder(ImageRef.parse(builder)).build();
    UsageResult result = S2i.builder().engine(engine).events(events).build().usage(request);
    return result.output();
  }
  // end::usage[]

  // tag::main[]
  /** {@code SOURCE BUILDER TAG}: builds the image and prints its id; exits as the s2i CLI would. */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: EmbeddingExample SOURCE BUILDER TAG");
      System.exit(2);
    }
    try (ContainerEngine engine = openEngine(Optional.ofNullable(System.getenv("S2I_ENGINE")))) {
      BuildResult result = build(engine, EmbeddingExample::print, Path.of(args[0]), args[1], args[2]);
      System.out.println(result.imageId());
    } catch (S2iException e) {
      System.exit(report(e));
    }
  }
  // end::main[]
}
