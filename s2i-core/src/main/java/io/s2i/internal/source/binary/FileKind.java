package io.s2i.internal.source.binary;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * What a single-file source is, by its content (the name counts only to tell a Java archive from
 * another zip, as {@code .jar}, {@code .war} and {@code .ear} are zips by content).
 */
public enum FileKind {
  TAR("tar", true),
  TAR_GZIP("tar.gz", true),
  TAR_BZIP2("tar.bz2", true),
  TAR_ZSTD("tar.zst", true),
  ZIP("zip", true),
  /** A jar: a zip with {@code META-INF/MANIFEST.MF}, or named {@code .jar}. */
  JAR("jar", false),
  /** A web or enterprise archive ({@code .war}, {@code .ear}). */
  WEB_ARCHIVE("war", false),
  /** An ELF executable. */
  ELF("ELF executable", false),
  /** A script starting with {@code #!}. */
  SCRIPT("script", false),
  OTHER("file", false);

  private final String label;
  private final boolean archive;

  FileKind(String label, boolean archive) {
    this.label = label;
    this.archive = archive;
  }

  /** A short name for messages: {@code tar.gz}, {@code jar}. */
  public String label() {
    return label;
  }

  /** Whether files of this kind are unpacked by default. */
  public boolean unpackedByDefault() {
    return archive;
  }

  /** Whether it can be unpacked at all (a jar can, when asked). */
  public boolean unpackable() {
    return archive || this == JAR || this == WEB_ARCHIVE;
  }

  private static final int SNIFF = 512;

  /** Reads the start of {@code file} (a regular file; links are not followed) to tell its kind. */
  public static FileKind of(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      head = in.readNBytes(SNIFF);
    }
    if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
      return ELF;
    }
    if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
      return SCRIPT;
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
      return zipKind(file);
    }
    if (TarArchiveInputStream.matches(head, head.length)) {
      return TAR;
    }
    if (GzipCompressorInputStream.matches(head, head.length)) {
      return tarInside(file, TAR_GZIP);
    }
    if (BZip2CompressorInputStream.matches(head, head.length)) {
      return tarInside(file, TAR_BZIP2);
    }
    if (org.apache.commons.compress.compressors.zstandard.ZstdUtils.matches(head, head.length)) {
      return tarInside(file, TAR_ZSTD);
    }
    return OTHER;
  }

  private static FileKind zipKind(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".war") || name.endsWith(".ear")) {
      return WEB_ARCHIVE;
    }
    if (name.endsWith(".jar")) {
      return JAR;
    }
    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      ZipArchiveEntry manifest = zip.getEntry("META-INF/MANIFEST.MF");
      return manifest != null ? JAR : ZIP;
    } catch (IOException e) {
      return ZIP; // unpacking it reports what is wrong with it
    }
  }

  /** A compressed file is a tar only when what it decompresses to starts like one. */
  private static FileKind tarInside(Path file, FileKind kind) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
         InputStream in = decompress(kind, raw)) {
      byte[] head = in.readNBytes(SNIFF);
      return TarArchiveInputStream.matches(head, head.length) ? kind : OTHER;
    } catch (IOException | RuntimeException e) {
      return OTHER;
    }
  }

  /** The decompressing stream for a compressed tar kind; {@code in} itself for a plain tar. */
  static InputStream decompress(FileKind kind, InputStream in) throws IOException {
    return switch (kind) {
      case TAR_GZIP -> GzipCompressorInputStream.builder().setInputStream(in)
          .setDecompressConcatenated(true).get();
      case TAR_BZIP2 -> new BZip2CompressorInputStream(in, true);
      case TAR_ZSTD -> new ZstdCompressorInputStream(in);
      default -> in;
    };
  }
}
