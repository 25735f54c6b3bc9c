package io.s2i.internal.build.strategy;

import io.s2i.api.EnvVar;
import java.util.List;

/**
 * The Dockerfile of an ONBUILD build (spec §3.2): the builder's triggers run on the source as
 * build context, then {@code assemble} if the source has one, with the guessed entrypoint.
 */
final class OnBuildDockerfile {
  private OnBuildDockerfile() {}

  static String render(String builder, List<EnvVar> env, boolean hasAssemble, String entrypoint) {
    StringBuilder sb = new StringBuilder("FROM ").append(builder).append('\n');
    if (!env.isEmpty()) {
      sb.append("ENV ");
      for (int i = 0; i < env.size(); i++) {
        EnvVar v = env.get(i);
        sb.append(i == 0 ? "" : "    ").append(v.name()).append("=\"").append(escape(v.value())).append('"');
        sb.append(i == env.size() - 1 ? "\n" : " \\\n");
      }
    }
    if (hasAssemble) {
      sb.append("RUN sh assemble\n");
    }
    sb.append("ENTRYPOINT [\"./").append(entrypoint).append("\"]\n");
    return sb.toString();
  }

  /** Escapes what a double-quoted Dockerfile value treats specially. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("\n", "\\n");
  }
}
