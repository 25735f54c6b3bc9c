package io.s2i.internal.detect;

import io.s2i.api.Detection.DetectedLanguage;
import io.s2i.internal.source.binary.FileKind;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The language of a single-file source, as KubeSphere's binary-to-image sorts uploads: a jar is
 * {@code java-binary} (its version is the Java release its classes were compiled for), a war or
 * ear {@code jee}, an ELF executable or a {@code #!} script {@code binary}.
 */
public final class BinaryDetector {
  /** Class files read to find the release; enough for any real jar's main classes. */
  private static final int MAX_CLASSES = 2000;

  private BinaryDetector() {}

  /** The language of {@code file} of {@code kind}, shown as {@code name}; empty for other files. */
  public static Optional<DetectedLanguage> detect(Path file, FileKind kind, String name) {
    return switch (kind) {
      case JAR -> Optional.of(javaLanguage("java-binary", file, name));
      case WEB_ARCHIVE -> Optional.of(javaLanguage("jee", file, name));
      case ELF, SCRIPT -> Optional.of(new DetectedLanguage("binary", name, Optional.empty(),
          Optional.empty(), Optional.empty()));
      default -> Optional.empty();
    };
  }

  private static DetectedLanguage javaLanguage(String language, Path file, String name) {
    Optional<String[]> release = classRelease(file);
    return new DetectedLanguage(language, name, release.map(r -> r[0]),
        release.map(r -> name + " " + r[1]), release.map(r -> r[0]));
  }

  /**
   * The Java release the jar needs: the newest class-file version among the main class (from the
   * manifest) and the other classes read, as {@code {release, where}}.
   */
  static Optional<String[]> classRelease(Path jar) {
    try (ZipFile zip = ZipFile.builder().setPath(jar).get()) {
      Optional<String> mainClass = mainClass(zip);
      int newest = 0;
      String where = null;
      if (mainClass.isPresent()) {
        ZipArchiveEntry entry = zip.getEntry(mainClass.get().replace('.', '/') + ".class");
        if (entry == null) {
          entry = zip.getEntry("BOOT-INF/classes/" + mainClass.get().replace('.', '/') + ".class");
        }
        if (entry != null) {
          newest = major(zip, entry);
          where = "Main-Class " + mainClass.get();
        }
      }
      if (newest == 0) {
        int read = 0;
        Enumeration<ZipArchiveEntry> entries = zip.getEntries();
        while (entries.hasMoreElements() && read < MAX_CLASSES) {
          ZipArchiveEntry e = entries.nextElement();
          if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/versions/")
              && !e.getName().endsWith("module-info.class")) {
            newest = Math.max(newest, major(zip, e));
            read++;
          }
        }
        where = "class files";
      }
      if (newest < 45) {
        return Optional.empty();
      }
      // 49 is Java 5, 52 Java 8, 61 Java 17; older ones are all Java 1.x
      String shown = newest >= 49 ? String.valueOf(newest - 44) : "1";
      return Optional.of(new String[] {shown, where + " (class file version " + newest + ")"});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> mainClass(ZipFile zip) throws IOException {
    ZipArchiveEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
    if (entry == null || entry.getSize() > 1 << 20) {
      return Optional.empty();
    }
    try (InputStream in = zip.getInputStream(entry)) {
      Attributes attrs = new Manifest(in).getMainAttributes();
      String start = attrs.getValue("Start-Class"); // Spring Boot's launcher names the real one here
      String main = start != null ? start : attrs.getValue(Attributes.Name.MAIN_CLASS);
      return Optional.ofNullable(main).map(String::strip).filter(s -> !s.isEmpty());
    }
  }

  private static int major(ZipFile zip, ZipArchiveEntry entry) throws IOException {
    try (DataInputStream in = new DataInputStream(zip.getInputStream(entry))) {
      if (in.readInt() != 0xCAFEBABE) {
        return 0;
      }
      in.readUnsignedShort(); // minor
      return in.readUnsignedShort();
    } catch (java.io.EOFException e) {
      return 0;
    }
  }
}
