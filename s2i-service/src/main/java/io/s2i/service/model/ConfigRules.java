package io.s2i.service.model;

import io.s2i.api.ImageRef;
import io.s2i.service.model.BuildConfig.Binary;
import io.s2i.service.model.BuildConfig.Output;
import io.s2i.service.model.BuildConfig.Source;
import io.s2i.service.model.BuildConfig.SourceType;
import io.s2i.service.model.BuildConfig.Strategy;
import io.s2i.service.model.BuildConfig.StrategyType;
import io.s2i.service.model.BuildConfig.Trigger;
import io.s2i.service.model.BuildConfig.TriggerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules a configuration must follow, its defaults, and how its secrets are hidden in answers
 * and kept when an answer is sent back unchanged. One place, used by the API, {@code apply} and the
 * OpenShift reader alike.
 */
public final class ConfigRules {
  /** Names: DNS labels, short enough that {@code name-NNNNNN} stays one. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private ConfigRules() {}

  /** Checks a configuration or build name. */
  public static void checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException(what + " has no name");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidInputException("invalid name \"" + shorten(name) + "\": use 1-50 lower-case"
          + " letters, digits and '-', starting and ending with a letter or digit");
    }
  }

  /**
   * Checks {@code config} and returns it with defaults filled in.
   *
   * @throws InvalidInputException naming the first field that is wrong
   */
  public static BuildConfig validate(BuildConfig config) {
    if (config == null) {
      throw new InvalidInputException("the body holds no build configuration");
    }
    checkName("the build configuration", config.name());
    Source source = checkSource(config.source());
    Strategy strategy = checkStrategy(config.strategy());
    Output output = checkOutput(config.output());
    List<Trigger> triggers = checkTriggers(config.triggers());
    int ok = limit("successfulBuildsHistoryLimit", config.successfulBuildsHistoryLimit());
    int failed = limit("failedBuildsHistoryLimit", config.failedBuildsHistoryLimit());
    return new BuildConfig(config.name(), source, strategy, output, triggers,
        config.effectiveRunPolicy(), ok, failed, config.status());
  }

  private static Source checkSource(Source s) {
    if (s == null) {
      throw new InvalidInputException("source is missing: give source.git.uri or source.type Binary");
    }
    SourceType type = s.type() != null ? s.type() : s.binary() != null ? SourceType.Binary : SourceType.Git;
    if (type == SourceType.Git) {
      if (s.git() == null || blank(s.git().uri())) {
        throw new InvalidInputException("source.git.uri is missing");
      }
      if (s.binary() != null) {
        throw new InvalidInputException("source.binary is only for source.type Binary");
      }
      if (s.git().uri().startsWith("-") || s.git().uri().chars().anyMatch(Character::isISOControl)) {
        throw new InvalidInputException("source.git.uri is not a repository URL");
      }
    } else {
      if (s.git() != null) {
        throw new InvalidInputException("source.git is not used by source.type Binary: remove it");
      }
      if (s.binary() != null && s.binary().asFile() != null) {
        checkFileName("source.binary.asFile", s.binary().asFile());
      }
    }
    if (s.contextDir() != null) {
      checkRelativePath("source.contextDir", s.contextDir());
    }
    return new Source(type, s.git(), emptyToNull(s.contextDir()),
        type == SourceType.Binary ? (s.binary() != null ? s.binary() : new Binary(null)) : null);
  }

  private static Strategy checkStrategy(Strategy s) {
    if (s == null) {
      throw new InvalidInputException("strategy is missing: give strategy.builderImage (or detect: true)");
    }
    StrategyType type = s.type() == null ? StrategyType.Source : s.type();
    boolean detect = Boolean.TRUE.equals(s.detect());
    if (type == StrategyType.Source) {
      if (detect && !blank(s.builderImage())) {
        throw new InvalidInputException("strategy.builderImage and strategy.detect exclude each other: give one");
      }
      if (!detect && blank(s.builderImage())) {
        throw new InvalidInputException("strategy.builderImage is missing (or set strategy.detect: true)");
      }
      if (!detect) {
        image("strategy.builderImage", s.builderImage());
      }
      if (s.dockerfilePath() != null) {
        throw new InvalidInputException("strategy.dockerfilePath is only for strategy.type Docker");
      }
    } else {
      for (String[] f : new String[][] {{"builderImage", s.builderImage()}, {"scriptsUrl", s.scriptsUrl()},
          {"runtimeImage", s.runtimeImage()}}) {
        if (f[1] != null) {
          throw new InvalidInputException("strategy." + f[0] + " is not used by strategy.type Docker: remove it");
        }
      }
      if (detect || Boolean.TRUE.equals(s.incremental())) {
        throw new InvalidInputException("strategy." + (detect ? "detect" : "incremental")
            + " is not used by strategy.type Docker: remove it");
      }
      if (s.dockerfilePath() != null) {
        checkRelativePath("strategy.dockerfilePath", s.dockerfilePath());
      }
    }
    List<EnvEntry> env = s.env() == null ? List.of() : s.env();
    for (int i = 0; i < env.size(); i++) {
      EnvEntry e = env.get(i);
      if (e == null || e.name() == null || !ENV_NAME.matcher(e.name()).matches()) {
        throw new InvalidInputException("strategy.env[" + i + "].name is not a variable name");
      }
    }
    if (s.scriptsUrl() != null && !s.scriptsUrl().matches("(?i)(image|https?)://.+")) {
      throw new InvalidInputException("strategy.scriptsUrl must be an image://, http:// or https:// URL");
    }
    if (s.runtimeImage() != null) {
      image("strategy.runtimeImage", s.runtimeImage());
    }
    if (s.runtimeArtifacts() != null && !s.runtimeArtifacts().isEmpty()) {
      if (s.runtimeImage() == null) {
        throw new InvalidInputException("strategy.runtimeArtifacts needs strategy.runtimeImage");
      }
      for (int i = 0; i < s.runtimeArtifacts().size(); i++) {
        BuildConfig.Artifact a = s.runtimeArtifacts().get(i);
        if (a == null || blank(a.source()) || !a.source().startsWith("/")) {
          throw new InvalidInputException("strategy.runtimeArtifacts[" + i + "].source must be an absolute path");
        }
        if (a.destination() != null && !a.destination().isEmpty()) {
          checkRelativePath("strategy.runtimeArtifacts[" + i + "].destination", a.destination());
        }
      }
    }
    BuildConfig.PullPolicy pull = s.pullPolicy();
    if (Boolean.TRUE.equals(s.forcePull())) {
      if (pull != null && pull != BuildConfig.PullPolicy.Always) {
        throw new InvalidInputException("strategy.forcePull contradicts strategy.pullPolicy " + pull);
      }
      pull = BuildConfig.PullPolicy.Always;
    }
    return new Strategy(type, emptyToNull(s.builderImage()), detect ? Boolean.TRUE : null, env,
        s.incremental(), s.forcePull(), pull == null ? BuildConfig.PullPolicy.IfNotPresent : pull,
        s.scriptsUrl(), s.runtimeImage(), s.runtimeArtifacts(), s.dockerfilePath());
  }

  private static Output checkOutput(Output o) {
    if (o == null || blank(o.image())) {
      throw new InvalidInputException("output.image is missing");
    }
    image("output.image", o.image());
    if (o.credentials() != null) {
      if (blank(o.credentials().username()) || o.credentials().password() == null) {
        throw new InvalidInputException("output.credentials needs username and password");
      }
      if (!Boolean.TRUE.equals(o.push())) {
        throw new InvalidInputException("output.credentials are only used with output.push: true");
      }
    }
    return o;
  }

  private static List<Trigger> checkTriggers(List<Trigger> triggers) {
    if (triggers == null) {
      return List.of();
    }
    int imageChange = 0;
    for (int i = 0; i < triggers.size(); i++) {
      Trigger t = triggers.get(i);
      if (t == null || t.type() == null) {
        throw new InvalidInputException("triggers[" + i + "].type is missing");
      }
      boolean webhook = t.type() != TriggerType.ImageChange && t.type() != TriggerType.ConfigChange;
      if (webhook && blank(t.secret())) {
        throw new InvalidInputException("triggers[" + i + "] (" + t.type() + ") needs a secret");
      }
      if (!webhook && t.secret() != null) {
        throw new InvalidInputException("triggers[" + i + "].secret is only for webhook triggers");
      }
      if (t.allowEnv() != null && t.type() != TriggerType.Generic) {
        throw new InvalidInputException("triggers[" + i + "].allowEnv is only for Generic triggers");
      }
      if (t.from() != null) {
        if (t.type() != TriggerType.ImageChange) {
          throw new InvalidInputException("triggers[" + i + "].from is only for ImageChange triggers");
        }
        image("triggers[" + i + "].from", t.from());
      }
      if (t.type() == TriggerType.ImageChange) {
        imageChange++;
      }
    }
    if (imageChange > 1) {
      throw new InvalidInputException("at most one ImageChange trigger may follow the builder image");
    }
    return List.copyOf(triggers);
  }

  private static int limit(String field, Integer value) {
    if (value == null) {
      return BuildConfig.DEFAULT_HISTORY_LIMIT;
    }
    if (value < 0 || value > 10_000) {
      throw new InvalidInputException(field + " must be between 0 and 10000");
    }
    return value;
  }

  private static void image(String field, String ref) {
    try {
      ImageRef.parse(ref);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field + " is not an image name: " + firstLine(e.getMessage()));
    }
  }

  private static void checkRelativePath(String field, String path) {
    if (path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      throw new InvalidInputException(field + " must be a relative path");
    }
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw new InvalidInputException(field + " must not contain '..'");
      }
    }
  }

  private static void checkFileName(String field, String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".")
        || name.equals("..") || name.contains("\0")) {
      throw new InvalidInputException(field + " must be a plain file name (no slashes, not . or ..)");
    }
  }

  /** Checks an uploaded file's name the same way as {@code asFile}. */
  public static void checkUploadName(String name) {
    checkFileName("the file name", name);
  }

  /** The configuration as answers show it: every secret replaced by {@link EnvEntry#MASK}. */
  public static BuildConfig masked(BuildConfig c) {
    Strategy s = c.strategy();
    Strategy ms = s == null ? null : new Strategy(s.type(), s.builderImage(), s.detect(),
        s.env() == null ? null : s.env().stream().map(EnvEntry::masked).toList(), s.incremental(),
        s.forcePull(), s.pullPolicy(), s.scriptsUrl(), s.runtimeImage(), s.runtimeArtifacts(),
        s.dockerfilePath());
    Output o = c.output();
    Output mo = o == null || o.credentials() == null ? o : new Output(o.image(), o.push(),
        new BuildConfig.Credentials(o.credentials().username(), EnvEntry.MASK));
    List<Trigger> mt = c.triggers() == null ? null : c.triggers().stream()
        .map(t -> t.secret() == null ? t : new Trigger(t.type(), EnvEntry.MASK, t.allowEnv(), t.from()))
        .toList();
    return new BuildConfig(c.name(), c.source(), ms, mo, mt, c.runPolicy(),
        c.successfulBuildsHistoryLimit(), c.failedBuildsHistoryLimit(), c.status());
  }

  /**
   * {@code incoming} with each masked secret replaced by the stored one it stands for (same
   * variable name, same trigger type and position), so a configuration read and sent back keeps its
   * secrets. A mask with nothing stored behind it is refused.
   */
  public static BuildConfig restoreSecrets(BuildConfig incoming, BuildConfig stored) {
    Strategy s = incoming.strategy();
    if (s != null && s.env() != null) {
      List<EnvEntry> env = new ArrayList<>();
      for (EnvEntry e : s.env()) {
        if (e != null && e.secret() && EnvEntry.MASK.equals(e.value())) {
          EnvEntry old = stored == null || stored.strategy() == null || stored.strategy().env() == null ? null
              : stored.strategy().env().stream().filter(x -> x.name().equals(e.name()) && x.secret())
                  .findFirst().orElse(null);
          if (old == null) {
            throw new InvalidInputException("strategy.env " + e.name() + " is the mask " + EnvEntry.MASK
                + " but no secret value is stored for it: send the value");
          }
          env.add(old);
        } else {
          env.add(e);
        }
      }
      s = new Strategy(s.type(), s.builderImage(), s.detect(), env, s.incremental(), s.forcePull(),
          s.pullPolicy(), s.scriptsUrl(), s.runtimeImage(), s.runtimeArtifacts(), s.dockerfilePath());
    }
    Output o = incoming.output();
    if (o != null && o.credentials() != null && EnvEntry.MASK.equals(o.credentials().password())) {
      BuildConfig.Credentials old = stored == null || stored.output() == null ? null : stored.output().credentials();
      if (old == null) {
        throw new InvalidInputException("output.credentials.password is the mask but none is stored: send it");
      }
      o = new Output(o.image(), o.push(), new BuildConfig.Credentials(o.credentials().username(), old.password()));
    }
    List<Trigger> triggers = incoming.triggers();
    if (triggers != null) {
      List<Trigger> out = new ArrayList<>();
      for (int i = 0; i < triggers.size(); i++) {
        Trigger t = triggers.get(i);
        if (t != null && EnvEntry.MASK.equals(t.secret())) {
          Trigger old = storedTrigger(stored, t.type(), i, triggers);
          if (old == null) {
            throw new InvalidInputException("triggers[" + i + "].secret is the mask but none is stored: send it");
          }
          t = new Trigger(t.type(), old.secret(), t.allowEnv(), t.from());
        }
        out.add(t);
      }
      triggers = out;
    }
    return new BuildConfig(incoming.name(), incoming.source(), s, o, triggers, incoming.runPolicy(),
        incoming.successfulBuildsHistoryLimit(), incoming.failedBuildsHistoryLimit(), incoming.status());
  }

  private static Trigger storedTrigger(BuildConfig stored, TriggerType type, int index, List<Trigger> incoming) {
    if (stored == null || stored.triggers() == null) {
      return null;
    }
    // The n-th trigger of this type in the new list stands for the n-th of that type stored.
    long nth = incoming.subList(0, index).stream().filter(x -> x != null && x.type() == type).count();
    return stored.triggers().stream().filter(x -> x.type() == type && x.secret() != null)
        .skip(nth).findFirst().orElse(null);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String emptyToNull(String s) {
    return blank(s) ? null : s;
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static String firstLine(String s) {
    return Objects.toString(s, "").lines().findFirst().orElse("");
  }
}
