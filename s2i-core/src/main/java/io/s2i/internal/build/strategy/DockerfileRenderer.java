package io.s2i.internal.build.strategy;

import io.s2i.api.EnvVar;
import io.s2i.api.PathMapping;
import io.s2i.internal.fs.UnixPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the Dockerfile of a {@link DockerfilePlan}, in the shape of upstream's (the same
 * comments, {@code USER root}, {@code COPY}, {@code RUN chown -R}), with these changes: the
 * {@code Cmd} is in exec form and the final {@code USER} is the base image's, as in a direct build;
 * injected files are only present in an {@code assemble} stage whose file system, with them
 * truncated, is copied into a fresh stage, so no layer of the output holds their contents; and
 * an extended build gets a runtime stage.
 */
public final class DockerfileRenderer {
  private static final String ASSEMBLE_STAGE = "assemble";

  private DockerfileRenderer() {}

  public static String render(DockerfilePlan plan) {
    List<String> out = new ArrayList<>();
    plan.incremental().ifPresent(inc -> cachedStage(out, plan, inc));
    boolean staged = !plan.injectedFiles().isEmpty() || !plan.injections().isEmpty() || plan.runtime().isPresent();
    out.add("FROM " + plan.builderImage() + (staged ? " AS " + ASSEMBLE_STAGE : ""));
    if (!staged) {
      labels(out, plan.labels());
    }
    env(out, plan.env());
    String d = plan.destination();
    List<String> owned = new ArrayList<>();
    out.add("USER root");
    if (plan.incremental().isPresent()) {
      out.add("COPY --from=cached /tmp/artifacts.tar /tmp/artifacts.tar");
      owned.add("/tmp/artifacts.tar");
    }
    out.add("# Copying in override assemble/run scripts");
    out.add("COPY upload/scripts " + UnixPaths.join(d, "scripts"));
    owned.add(UnixPaths.join(d, "scripts"));
    out.add("# Copying in source code");
    out.add("COPY upload/src " + UnixPaths.join(d, "src"));
    owned.add(UnixPaths.join(d, "src"));
    if (!plan.injections().isEmpty()) {
      out.add("# Copying in injected content (this stage only: the output stage gets them truncated)");
      for (DockerfilePlan.Injection i : plan.injections()) {
        out.add("COPY " + i.contextPath() + " " + i.containerPath());
        owned.add(i.containerPath());
      }
    }
    if (!isRoot(plan.assembleUser())) {
      out.add("# Change file ownership to the assemble user. Builder image must support chown command.");
      out.add("RUN chown -R " + plan.assembleUser() + ":0 " + String.join(" ", owned));
      out.add("USER " + plan.assembleUser());
    }
    if (plan.incremental().isPresent()) {
      out.add("# Extract artifact content");
      out.add("RUN if [ -s /tmp/artifacts.tar ]; then mkdir -p " + UnixPaths.join(d, "artifacts")
          + "; tar -xf /tmp/artifacts.tar -C " + UnixPaths.join(d, "artifacts") + "; fi && \\");
      out.add("    rm /tmp/artifacts.tar");
    }
    out.add("RUN " + plan.assembleCommand());
    if (!plan.injectedFiles().isEmpty()) {
      out.add("# Truncating injected files, as a direct build does");
      out.add("RUN for f in " + String.join(" ", plan.injectedFiles()) + "; do : > \"$f\"; done");
    }
    if (plan.runtime().isPresent()) {
      runtimeStage(out, plan, plan.runtime().get());
    } else {
      if (staged) {
        out.add("");
        out.add("FROM " + plan.builderImage());
        out.add("COPY --from=" + ASSEMBLE_STAGE + " / /");
        labels(out, plan.labels());
        env(out, plan.env());
      }
      // A fresh FROM stage already has the base image's USER.
      if (!staged && !sameUser(plan.imageUser(), plan.assembleUser())) {
        out.add("USER " + (isRoot(plan.imageUser()) ? "root" : plan.imageUser()));
      }
      out.add("CMD " + execForm(plan.runCommand()));
    }
    return String.join("\n", out) + "\n";
  }

  private static void cachedStage(List<String> out, DockerfilePlan plan, DockerfilePlan.Incremental inc) {
    out.add("FROM " + inc.previousImage() + " AS cached");
    String script = inc.saveArtifactsCommand();
    if (inc.overrideScript().isPresent()) {
      out.add("# Copying in override save-artifacts script");
      out.add("USER root");
      out.add("COPY " + inc.overrideScript().get() + " " + script);
      if (!plan.assembleUser().isEmpty()) {
        out.add("RUN chown " + plan.assembleUser() + ":0 " + script);
      }
    } else {
      out.add("# Save-artifacts script sourced from previous image");
    }
    if (!isRoot(plan.assembleUser())) {
      out.add("USER " + plan.assembleUser());
    }
    out.add("RUN if [ -s " + script + " ]; then " + script + " > /tmp/artifacts.tar; else touch /tmp/artifacts.tar; fi");
    out.add("");
  }

  private static void runtimeStage(List<String> out, DockerfilePlan plan, DockerfilePlan.Runtime rt) {
    out.add("");
    out.add("FROM " + rt.image());
    labels(out, plan.labels());
    env(out, plan.env());
    out.add("USER root");
    out.add("# Copying in the runtime artifacts, relative to the runtime image's WORKDIR");
    for (PathMapping a : rt.artifacts()) {
      String base = a.source().substring(a.source().lastIndexOf('/') + 1);
      String dst = a.destination().equals(".") ? base : UnixPaths.join(a.destination(), base);
      out.add("COPY --from=" + ASSEMBLE_STAGE + " --chown=0:0 " + a.source() + " " + dst);
    }
    rt.scriptsContextDir().ifPresent(dir -> out.add("COPY --chown=0:0 " + dir + " scripts"));
    // assemble-runtime runs as the requested user, else as the image's own (root when unknown).
    String runAs = !rt.assembleRuntimeUser().isEmpty() ? rt.assembleRuntimeUser() : rt.imageUser().orElse("");
    if (!isRoot(runAs)) {
      out.add("USER " + runAs);
    }
    out.add("RUN " + rt.assembleRuntimeCommand());
    rt.imageUser().ifPresent(u -> {
      if (!sameUser(u, runAs)) {
        out.add("USER " + (isRoot(u) ? "root" : u));
      }
    });
    out.add("CMD " + execForm(rt.runCommand()));
  }

  private static boolean isRoot(String user) {
    return user.isEmpty() || user.equals("root") || user.equals("0");
  }

  private static boolean sameUser(String a, String b) {
    return (isRoot(a) && isRoot(b)) || a.equals(b);
  }

  private static void labels(List<String> out, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>();
    labels.forEach((k, v) -> lines.add(quote(k) + "=" + quote(v)));
    out.add("LABEL " + String.join(" \\\n      ", lines));
  }

  private static void env(List<String> out, List<EnvVar> env) {
    if (env.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>();
    for (EnvVar e : env) {
      lines.add(e.name() + "=" + quote(e.value()));
    }
    out.add("ENV " + String.join(" \\\n    ", lines));
  }

  /** A double-quoted Dockerfile word: {@code \ " $} escaped, newlines as {@code \n}. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("\n", "\\n") + "\"";
  }

  /** A JSON array of one string, the exec form of {@code CMD}. */
  static String execForm(String command) {
    return "[\"" + command.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }
}
