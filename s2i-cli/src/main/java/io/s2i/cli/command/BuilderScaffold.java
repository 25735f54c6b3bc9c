package io.s2i.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The files of a new builder image ({@code s2i create}): upstream's layout and modes, with a
 * Dockerfile for a Debian base and a test harness that runs with any s2i.
 */
final class BuilderScaffold {
  /** One file: its template, path under the destination, and mode. */
  private record Entry(String template, String path, String mode) {}

  private static final List<Entry> FILES = List.of(
      new Entry("assemble", "s2i/bin/assemble", "rwxr-xr-x"),
      new Entry("run", "s2i/bin/run", "rwxr-xr-x"),
      new Entry("usage", "s2i/bin/usage", "rwxr-xr-x"),
      new Entry("save-artifacts", "s2i/bin/save-artifacts", "rwxr-xr-x"),
      new Entry("Dockerfile", "Dockerfile", "rw-------"),
      new Entry("README.md", "README.md", "rw-------"),
      new Entry("index.html", "test/test-app/index.html", "rw-------"),
      new Entry("test-run", "test/run", "rwx------"),
      new Entry("Makefile", "Makefile", "rw-------"));

  private BuilderScaffold() {}

  /**
   * Writes every file that does not exist yet; an existing file is kept and reported.
   *
   * @return the relative paths written
   */
  static List<String> write(String imageName, Path destination, Consumer<String> skipped) throws IOException {
    List<String> written = new ArrayList<>();
    for (Entry e : FILES) {
      Path target = destination.resolve(e.path());
      createDirectories(target.getParent());
      String content = template(e.template()).replace("{{IMAGE_NAME}}", imageName);
      try {
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(e.mode())));
      } catch (FileAlreadyExistsException ex) {
        skipped.accept(e.path());
        continue;
      }
      Files.writeString(target, content);
      // createFile's mode is filtered by the umask; set it as upstream has it.
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(e.mode()));
      written.add(e.path());
    }
    return written;
  }

  /** Creates missing directories with mode 0700, as upstream. */
  private static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createDirectories(dir.toAbsolutePath().getParent());
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static String template(String name) {
    try (InputStream in = BuilderScaffold.class.getResourceAsStream("scaffold/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing template " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
