package io.s2i.service.openshift;

import com.fasterxml.jackson.databind.JsonNode;
import io.s2i.service.model.BuildConfig;
import io.s2i.service.model.BuildConfig.TriggerType;
import io.s2i.service.model.EnvEntry;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.RunPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OpenShift's {@code build.openshift.io/v1} BuildConfig as users have it (for example from
 * {@code oc get bc app -o yaml}) into the service's model. Every field is either honoured, ignored
 * because it only describes the object ({@code metadata.namespace}, labels, annotations, server
 * bookkeeping, {@code status}), or refused with an error naming it: nothing is dropped silently.
 */
public final class OpenShiftBuildConfigReader {
  private static final String NO_SECRETS = "s2i serve has no Kubernetes Secrets; give the value inline";

  private OpenShiftBuildConfigReader() {}

  /** Whether a document is OpenShift's (by its apiVersion). */
  public static boolean isOpenShift(JsonNode doc) {
    String api = doc.path("apiVersion").asText("");
    return api.equals("build.openshift.io/v1") || api.equals("v1");
  }

  /** Reads one BuildConfig document. */
  public static BuildConfig read(JsonNode doc) {
    Fields root = new Fields(doc, "");
    root.ignore("apiVersion", "status");
    String kind = root.text("kind");
    if (!"BuildConfig".equals(kind)) {
      throw new InvalidInputException("kind " + kind + " is not a BuildConfig");
    }
    Fields meta = root.object("metadata");
    String name = meta.text("name");
    meta.ignore("namespace", "labels", "annotations", "uid", "resourceVersion", "creationTimestamp",
        "generation", "managedFields", "selfLink");
    meta.unsupported("generateName", "give metadata.name");
    meta.done();
    Fields spec = root.object("spec");
    BuildConfig config = new BuildConfig(name, source(spec.object("source")), strategy(spec.object("strategy")),
        output(spec.object("output")), triggers(spec.list("triggers")), runPolicy(spec),
        spec.integer("successfulBuildsHistoryLimit"), spec.integer("failedBuildsHistoryLimit"), null);
    spec.unsupported("serviceAccount", "builds run with the server's engine, not in a pod");
    spec.unsupported("resources", "the local executor sets no resource limits");
    spec.unsupported("postCommit", "post-commit hooks are not run");
    spec.unsupported("completionDeadlineSeconds", "builds have no deadline here");
    spec.unsupported("nodeSelector", "builds run on this server, not on nodes");
    spec.unsupported("mountTrustedCA", "the engine's trust store is used");
    spec.unsupported("revision", "give the commit to start-build (--commit)");
    spec.done();
    root.done();
    return config;
  }

  private static RunPolicy runPolicy(Fields spec) {
    String p = spec.text("runPolicy");
    if (p == null) {
      return null;
    }
    try {
      return RunPolicy.valueOf(p);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("spec.runPolicy " + p + " is not one of Serial, Parallel, SerialLatestOnly");
    }
  }

  private static BuildConfig.Source source(Fields s) {
    String type = s.text("type");
    Fields git = s.object("git");
    Fields binary = s.object("binary");
    String contextDir = s.text("contextDir");
    s.unsupported("dockerfile", "inline Dockerfiles are not supported: keep the Dockerfile in the source");
    s.unsupported("images", "image sources are not supported");
    s.unsupported("sourceSecret", NO_SECRETS);
    s.unsupported("secrets", NO_SECRETS);
    s.unsupported("configMaps", "s2i serve has no ConfigMaps");
    s.done();
    BuildConfig.SourceType t;
    if (type == null) {
      t = git.present() ? BuildConfig.SourceType.Git : BuildConfig.SourceType.Binary;
    } else if (type.equals("Git")) {
      t = BuildConfig.SourceType.Git;
    } else if (type.equals("Binary")) {
      t = BuildConfig.SourceType.Binary;
    } else {
      throw new InvalidInputException(s.path("type") + " " + type + " is not supported by s2i serve: use Git or Binary");
    }
    BuildConfig.Git g = null;
    if (git.present()) {
      g = new BuildConfig.Git(git.text("uri"), git.text("ref"));
      git.unsupported("httpProxy", "set the proxy in the server's environment");
      git.unsupported("httpsProxy", "set the proxy in the server's environment");
      git.unsupported("noProxy", "set the proxy in the server's environment");
      git.done();
    }
    BuildConfig.Binary b = null;
    if (binary.present()) {
      b = new BuildConfig.Binary(binary.text("asFile"));
      binary.done();
    }
    return new BuildConfig.Source(t, g, contextDir, b);
  }

  private static BuildConfig.Strategy strategy(Fields s) {
    String type = s.text("type");
    Fields source = s.object("sourceStrategy");
    Fields docker = s.object("dockerStrategy");
    s.unsupported("customStrategy", "custom builder images are not run");
    s.unsupported("jenkinsPipelineStrategy", "pipelines are not run");
    s.done();
    if (type == null) {
      type = docker.present() ? "Docker" : "Source";
    }
    if (type.equals("Source")) {
      if (docker.present()) {
        throw new InvalidInputException("spec.strategy.dockerStrategy is set but spec.strategy.type is Source");
      }
      String from = image(source.object("from"), "spec.strategy.sourceStrategy.from");
      List<EnvEntry> env = env(source.list("env"));
      Boolean incremental = source.bool("incremental");
      Boolean forcePull = source.bool("forcePull");
      String scripts = source.text("scripts");
      source.unsupported("pullSecret", NO_SECRETS + " (the server's Docker credentials are used)");
      source.unsupported("volumes", "build volumes are not mounted");
      source.done();
      return new BuildConfig.Strategy(BuildConfig.StrategyType.Source, from, null, env, incremental, forcePull,
          null, scripts, null, null, null);
    }
    if (type.equals("Docker")) {
      if (source.present()) {
        throw new InvalidInputException("spec.strategy.sourceStrategy is set but spec.strategy.type is Docker");
      }
      String path = docker.text("dockerfilePath");
      List<EnvEntry> env = env(docker.list("env"));
      Boolean forcePull = docker.bool("forcePull");
      docker.bool("noCache"); // the engine builds Dockerfiles without a cache anyway
      docker.unsupported("from", "the Dockerfile's FROM is used");
      docker.unsupported("buildArgs", "build arguments are not passed to the engine");
      docker.unsupported("pullSecret", NO_SECRETS);
      docker.unsupported("volumes", "build volumes are not mounted");
      docker.unsupported("imageOptimizationPolicy", "layers are kept as the engine builds them");
      docker.done();
      return new BuildConfig.Strategy(BuildConfig.StrategyType.Docker, null, null, env, null, forcePull,
          null, null, null, null, path);
    }
    throw new InvalidInputException("spec.strategy.type " + type + " is not supported by s2i serve: use Source or Docker");
  }

  private static List<EnvEntry> env(List<Fields> list) {
    List<EnvEntry> out = new ArrayList<>();
    for (Fields e : list) {
      String name = e.text("name");
      String value = e.text("value");
      e.unsupported("valueFrom", NO_SECRETS + " (mark a value secret in s2i's format)");
      e.done();
      out.add(new EnvEntry(name, value == null ? "" : value, false));
    }
    return out;
  }

  private static String image(Fields ref, String path) {
    if (!ref.present()) {
      throw new InvalidInputException(path + " is missing");
    }
    String kind = ref.text("kind");
    String name = ref.text("name");
    ref.unsupported("namespace", "there are no image streams");
    ref.done();
    if (kind != null && !kind.equals("DockerImage")) {
      throw new InvalidInputException(path + ".kind " + kind + " is not supported by s2i serve:"
          + " there are no image streams; use kind DockerImage with the image's name");
    }
    if (name == null) {
      throw new InvalidInputException(path + ".name is missing");
    }
    return name;
  }

  private static BuildConfig.Output output(Fields o) {
    String image = o.present() && o.has("to") ? image(o.object("to"), "spec.output.to") : null;
    o.unsupported("pushSecret", NO_SECRETS + " (the server's Docker credentials are used, or output.credentials in s2i's format)");
    o.unsupported("imageLabels", "extra image labels are not written");
    o.done();
    // OpenShift pushes every DockerImage output.
    return new BuildConfig.Output(image, image == null ? null : Boolean.TRUE, null);
  }

  private static List<BuildConfig.Trigger> triggers(List<Fields> list) {
    List<BuildConfig.Trigger> out = new ArrayList<>();
    for (Fields t : list) {
      String type = t.text("type");
      TriggerType tt = switch (type == null ? "" : type) {
        case "GitHub", "github" -> TriggerType.GitHub;
        case "GitLab" -> TriggerType.GitLab;
        case "Bitbucket" -> TriggerType.Bitbucket;
        case "Generic", "generic" -> TriggerType.Generic;
        case "ImageChange" -> TriggerType.ImageChange;
        case "ConfigChange" -> TriggerType.ConfigChange;
        default -> throw new InvalidInputException(t.path("type") + " " + type + " is not a trigger type");
      };
      String secret = null;
      Boolean allowEnv = null;
      String from = null;
      for (String key : new String[] {"github", "gitlab", "bitbucket", "generic"}) {
        Fields hook = t.object(key);
        if (hook.present()) {
          secret = hook.text("secret");
          hook.unsupported("secretReference", NO_SECRETS + " (give secret)");
          Boolean env = hook.bool("allowEnv");
          if (env != null && env) {
            allowEnv = true;
          }
          hook.done();
        }
      }
      Fields ic = t.object("imageChange");
      if (ic.present()) {
        if (ic.has("from")) {
          from = image(ic.object("from"), t.path("imageChange.from"));
        }
        ic.unsupported("paused", "paused triggers are not kept");
        ic.ignore("lastTriggeredImageID");
        ic.done();
      }
      t.done();
      out.add(new BuildConfig.Trigger(tt, secret, allowEnv, from));
    }
    return out;
  }
}
