package io.s2i.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Chooses the engine: the one named, else the first provider (by priority) that answers. */
public final class EngineResolver {
  private final List<EngineProvider> providers;

  public EngineResolver(List<EngineProvider> providers) {
    this.providers =
        providers.stream().sorted(Comparator.comparingInt(EngineProvider::priority)).toList();
  }

  /** A resolver over every provider on the class path. */
  public static EngineResolver fromClassPath() {
    List<EngineProvider> found = new ArrayList<>();
    ServiceLoader.load(EngineProvider.class).forEach(found::add);
    return new EngineResolver(found);
  }

  /**
   * A resolver over the providers of the given classes that are on the class path, made without
   * the class-path scan of {@link #fromClassPath()}: a {@code ServiceLoader} lookup opens every
   * jar, some 45 ms of a CLI's start-up with the jars s2i ships.
   */
  public static EngineResolver of(List<String> providerClasses) {
    List<EngineProvider> found = new ArrayList<>();
    ClassLoader loader = EngineResolver.class.getClassLoader();
    for (String name : providerClasses) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        continue; // not in this distribution
      }
      try {
        found.add(type.asSubclass(EngineProvider.class).getConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalStateException("engine provider " + name + " cannot be made: " + e, e);
      }
    }
    return new EngineResolver(found);
  }

  /** Whether one of the providers has this id. */
  public boolean offers(String id) {
    return providers.stream().anyMatch(p -> p.id().equals(id));
  }

  /**
   * Lets the engine that {@link #resolve} would try first (the named one, else the first by
   * priority) start opening in the background; see {@link EngineProvider#prepare}.
   */
  public void prepare(Optional<String> name, Map<String, String> environment) {
    providers.stream()
        .filter(p -> name.isEmpty() || name.get().equals(p.id()))
        .findFirst()
        .ifPresent(p -> p.prepare(environment));
  }

  /**
   * Opens the named engine, or the first one that answers.
   *
   * @throws EngineUnavailableException listing every attempt
   */
  public ContainerEngine resolve(Optional<String> name, Map<String, String> environment)
      throws EngineUnavailableException {
    return resolve(name, environment, line -> {});
  }

  /**
   * Opens the named engine, or the first one that answers, telling {@code log} about every probe
   * that failed and the engine chosen.
   *
   * @throws EngineUnavailableException listing every attempt
   */
  public ContainerEngine resolve(Optional<String> name, Map<String, String> environment,
      Consumer<String> log) throws EngineUnavailableException {
    List<String> attempts = new ArrayList<>();
    EngineUnavailableException last = null;
    for (EngineProvider p : providers) {
      if (name.isPresent() && !name.get().equals(p.id())) {
        continue;
      }
      try {
        ContainerEngine engine = p.open(environment);
        log.accept("Using the " + p.id() + " engine" + (name.isPresent() ? " (--engine)" : ""));
        return engine;
      } catch (EngineUnavailableException e) {
        log.accept("Engine " + p.id() + " is not available: " + e.getMessage());
        attempts.add(e.getMessage());
        last = e;
      }
    }
    if (last != null && attempts.size() == 1) {
      throw last;
    }
    if (attempts.isEmpty()) {
      throw new EngineUnavailableException(
          "no container engine " + name.map(n -> "named \"" + n + "\" ").orElse("") + "is available",
          "use --engine with one of: "
              + String.join(", ", providers.stream().map(EngineProvider::id).toList()),
          null);
    }
    throw new EngineUnavailableException(
        "no container engine answered: " + String.join("; ", attempts),
        last.suggestion().orElse(null), last);
  }
}
