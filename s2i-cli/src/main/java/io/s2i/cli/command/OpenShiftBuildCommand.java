package io.s2i.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import io.s2i.cli.S2iCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code s2i openshift-build}: runs the build an OpenShift {@code Build} object describes, read from
 * the {@code BUILD} variable as OpenShift's builder image ({@code openshift-sti-build}) reads it,
 * so that s2i's image can stand in for that one in a build pod. It honours the pod's variables as
 * OpenShift sets them: {@code PUSH_DOCKERCFG_PATH} and {@code PULL_DOCKERCFG_PATH} (the mounted
 * push and pull secrets: a directory with {@code .dockerconfigjson} or {@code .dockercfg}, or the
 * file), {@code ALLOWED_UIDS}, {@code DROP_CAPS} and {@code BUILD_LOGLEVEL}. See
 * {@link OpenShiftBuild} for the fields read.
 */
@Command(name = "openshift-build", description = "Run the build an OpenShift Build object (build.openshift.io/v1,"
    + " JSON) describes, from $BUILD, as OpenShift's builder image does.")
public final class OpenShiftBuildCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand S2iCli root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show help for this command.")
  boolean help;

  @Option(names = "--file", paramLabel = "FILE", description = "Read the Build from FILE instead of $BUILD.")
  Path file;

  @Option(names = "--dry-run", description = "Print the s2i build command line instead of building.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = System.getenv();
    String json;
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "--file " + file + " is not a readable file",
            "give the path of a Build object in JSON", null);
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } else {
      json = env.get("BUILD");
      if (json == null || json.isBlank()) {
        throw new S2iException(FailureReason.INVALID_REQUEST, "BUILD is not set",
            "set BUILD to a build.openshift.io/v1 Build object in JSON, or give --file", null);
      }
    }
    OpenShiftBuild build = OpenShiftBuild.parse(json);
    List<String> args = new ArrayList<>();
    String level = env.get("BUILD_LOGLEVEL");
    if (root.logLevel == 0 && level != null && level.matches("\\d+")) {
      args.addAll(List.of("--loglevel", level));
    } else if (root.logLevel > 0) {
      args.addAll(List.of("--loglevel", Integer.toString(root.logLevel)));
    }
    if (root.engine != null && !root.engine.isBlank()) {
      args.addAll(List.of("--engine", root.engine));
    }
    if (root.stacktrace) {
      args.add("--stacktrace");
    }
    args.add("build");
    args.addAll(build.buildArguments());
    String uids = env.get("ALLOWED_UIDS");
    if (uids != null && !uids.isBlank()) {
      args.addAll(List.of("--allowed-uids", uids));
    }
    String caps = env.get("DROP_CAPS");
    if (caps != null && !caps.isBlank()) {
      args.addAll(List.of("--cap-drop", caps));
    }
    Path credentials = null;
    try {
      credentials = credentials(env);
      if (credentials != null) {
        args.addAll(List.of("--dockercfg-path", credentials.toString()));
      }
      if (dryRun) {
        System.out.println("s2i " + String.join(" ", masked(args).stream().map(OpenShiftBuildCommand::quote).toList()));
        return 0;
      }
      System.err.println("Running OpenShift build " + build.name());
      CommandLine cl = S2iCli.commandLine();
      cl.setOut(new java.io.PrintWriter(System.out, true));
      cl.setErr(new java.io.PrintWriter(System.err, true));
      return cl.execute(args.toArray(String[]::new));
    } finally {
      if (credentials != null) {
        Files.deleteIfExists(credentials);
      }
    }
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:=@,+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * One Docker config file (owner-only, removed after the build) with the registries of the pull
   * and push secrets; null when neither is mounted.
   */
  static Path credentials(Map<String, String> env) throws IOException, S2iException {
    ObjectNode auths = JSON.createObjectNode();
    boolean any = false;
    for (String variable : List.of("PULL_DOCKERCFG_PATH", "PUSH_DOCKERCFG_PATH")) {
      String value = env.get(variable);
      if (value == null || value.isBlank()) {
        continue;
      }
      Path p = Path.of(value);
      Path config = Files.isDirectory(p) ? (Files.isRegularFile(p.resolve(".dockerconfigjson"))
          ? p.resolve(".dockerconfigjson") : p.resolve(".dockercfg")) : p;
      if (!Files.isRegularFile(config)) {
        throw new S2iException(FailureReason.INVALID_REQUEST, variable + "=" + value
            + " holds neither .dockerconfigjson nor .dockercfg", "mount the secret there, or unset " + variable, null);
      }
      JsonNode doc = JSON.readTree(config.toFile());
      // .dockerconfigjson has "auths"; the older .dockercfg is the map of registries itself.
      JsonNode registries = doc.has("auths") ? doc.get("auths") : doc;
      registries.fields().forEachRemaining(e -> auths.set(e.getKey(), e.getValue()));
      any = true;
    }
    if (!any) {
      return null;
    }
    Path file = Files.createTempFile("s2i-openshift-", ".json",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    ObjectNode doc = JSON.createObjectNode();
    doc.set("auths", auths);
    Files.write(file, JSON.writeValueAsBytes(doc));
    return file;
  }

  /** The arguments as printed: a build-only variable's value is a secret, shown as {@code *****}. */
  static List<String> masked(List<String> args) {
    List<String> out = new java.util.ArrayList<>(args);
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i - 1).equals("--build-env")) {
        String v = out.get(i);
        out.set(i, v.substring(0, Math.max(0, v.indexOf('='))) + "=*****");
      }
    }
    return out;
  }
}
