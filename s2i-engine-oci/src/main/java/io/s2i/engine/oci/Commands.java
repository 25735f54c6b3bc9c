package io.s2i.engine.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Runs short host commands (mount, umount, runc delete) and reports how they ended. */
final class Commands {
  private Commands() {}

  /** How a command ended: its exit code and its output, stdout and stderr together. */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }

    /** The output as one line, for error messages. */
    String oneLine() {
      return output.strip().replaceAll("\\s*\\n\\s*", "; ");
    }
  }

  /** Runs {@code command} to its end; a command that cannot start reports code 127. */
  static Result run(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      int code = waitUninterruptibly(p);
      return new Result(code, new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    }
  }

  // Cleanup commands must finish even when the build thread was interrupted (Ctrl-C).
  private static int waitUninterruptibly(Process p) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.waitFor();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The first executable named {@code name} on {@code path} (a PATH value). */
  static Optional<Path> onPath(String name, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (java.nio.file.Files.isExecutable(candidate) && java.nio.file.Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
