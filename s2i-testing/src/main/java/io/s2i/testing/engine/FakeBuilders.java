package io.s2i.testing.engine;

/**
 * Builder images for a {@link FakeEngine}, written like the ones upstream's docs describe, as
 * starting points a test changes ({@link FakeImage#toBuilder()}, {@link FakeImage.Builder#script}).
 */
public final class FakeBuilders {
  /** Where the standard builder's scripts are, as its scripts-url label says. */
  public static final String SCRIPTS = "/usr/libexec/s2i";
  /** The application directory of the standard builder (its working directory). */
  public static final String APP = "/opt/app-root/src";

  private FakeBuilders() {}

  /**
   * A builder with {@code assemble}, {@code run}, {@code save-artifacts} and {@code usage} in
   * {@value #SCRIPTS} (named by its {@code io.openshift.s2i.scripts-url} label), user 1001,
   * working directory {@value #APP}. {@code assemble} copies the sources into {@value #APP},
   * restores {@code cache/} from the previous build's artifacts ({@code ---> Restoring
   * artifacts}) and appends a line to {@code cache/builds}, so an incremental build shows how
   * many builds it descends from. {@code save-artifacts} writes a tar of {@code cache/}.
   */
  public static FakeImage.Builder standard() {
    return FakeImage.base()
        .label("io.openshift.s2i.scripts-url", "image://" + SCRIPTS)
        .label("io.k8s.description", "Fake builder (s2i-testing)")
        .workingDir(APP)
        .user("1001")
        .cmd(SCRIPTS + "/usage")
        .script(SCRIPTS + "/assemble", """
            set -e
            echo "---> Installing application source"
            cp -Rf /tmp/src/. %1$s/
            if [ -d /tmp/artifacts/cache ]; then
              echo "---> Restoring artifacts"
              cp -Rf /tmp/artifacts/cache %1$s/
            fi
            mkdir -p %1$s/cache
            echo built >> %1$s/cache/builds
            echo "---> Build complete"
            """.formatted(APP))
        .script(SCRIPTS + "/run", "exec cat " + APP + "/hello.txt")
        .script(SCRIPTS + "/save-artifacts", "tar -C " + APP + " -cf - cache")
        .script(SCRIPTS + "/usage", "echo \"This is the fake builder. Give it a directory with hello.txt.\"");
  }

  /**
   * A runtime image for extended builds: {@code assemble-runtime} in {@value #SCRIPTS} lists what
   * it received, working directory {@code /opt/runtime}, user 1002; its
   * {@code io.openshift.s2i.assemble-input-files} label names {@value #APP}{@code /hello.txt}.
   */
  public static FakeImage.Builder runtime() {
    return FakeImage.base()
        .label("io.openshift.s2i.scripts-url", "image://" + SCRIPTS)
        .label("io.openshift.s2i.assemble-input-files", APP + "/hello.txt")
        .workingDir("/opt/runtime")
        .user("1002")
        .script(SCRIPTS + "/assemble-runtime", "echo \"---> assemble-runtime in $PWD\"\necho runtime > /opt/runtime/assembled")
        .script(SCRIPTS + "/run", "exec cat /opt/runtime/hello.txt");
  }
}
