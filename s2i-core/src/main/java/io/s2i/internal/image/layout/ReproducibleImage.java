package io.s2i.internal.image.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Makes an image a pure function of its content and {@code SOURCE_DATE_EPOCH}, as the
 * reproducible-builds.org specification asks:
 *
 * <ul>
 *   <li>the layers the image shares with its base image (a common prefix of diff ids) keep their
 *       bytes, so they stay shared with the base in registries and caches; they are the same on
 *       every build with the same base;
 *   <li>every other layer with a file time after the epoch is rewritten with times clamped to the
 *       epoch, whole seconds, and without access/change times; layers without such times keep
 *       their bytes;
 *   <li>the config's {@code created} is the epoch, later history times are clamped to it, and the
 *       fields that name the build container ({@code container}, {@code container_config}) are
 *       dropped.
 * </ul>
 *
 * <p>Entry order, owners, modes, link targets and extended attributes are kept.
 */
public final class ReproducibleImage {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  private ReproducibleImage() {}

  /** The normalised image; rewritten layers are written into {@code dir}. */
  public static ImageArchive normalise(ImageArchive image, Instant epoch, Path dir) throws IOException {
    return normalise(image, epoch, dir, List.of());
  }

  /**
   * The normalised image, keeping the layers it shares with a base image whose diff ids are
   * {@code baseLayers}; rewritten layers are written into {@code dir}.
   */
  public static ImageArchive normalise(ImageArchive image, Instant epoch, Path dir, List<String> baseLayers)
      throws IOException {
    Instant clamp = Instant.ofEpochSecond(epoch.getEpochSecond());
    List<ImageArchive.Layer> layers = new ArrayList<>();
    int i = 0;
    boolean inBase = true;
    for (ImageArchive.Layer layer : image.layers()) {
      inBase = inBase && i < baseLayers.size() && baseLayers.get(i).equals(layer.diffId());
      if (!inBase && needsRewrite(layer.file(), clamp)) {
        Path out = dir.resolve("layer-" + i + ".tar");
        rewrite(layer.file(), out, clamp);
        layers.add(new ImageArchive.Layer(out, Digests.of(out), Files.size(out)));
      } else {
        layers.add(layer);
      }
      i++;
    }
    return new ImageArchive(config(image.config(), clamp, layers), layers);
  }

  private static boolean needsRewrite(Path layer, Instant clamp) throws IOException {
    try (InputStream in = Files.newInputStream(layer);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getLastModifiedTime().toInstant().isAfter(clamp)
            || e.getLastAccessTime() != null || e.getStatusChangeTime() != null) {
          return true;
        }
      }
    }
    return false;
  }

  private static void rewrite(Path from, Path to, Instant clamp) throws IOException {
    try (InputStream in = Files.newInputStream(from);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        OutputStream out = Files.newOutputStream(to);
        TarArchiveOutputStream w = new TarArchiveOutputStream(out)) {
      w.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      w.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      w.setAddPaxHeadersForNonAsciiNames(true);
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        TarArchiveEntry c = new TarArchiveEntry(e.getName(), e.getLinkFlag(), true);
        c.setMode(e.getMode());
        c.setUserId(e.getLongUserId());
        c.setGroupId(e.getLongGroupId());
        c.setUserName(e.getUserName());
        c.setGroupName(e.getGroupName());
        c.setLinkName(e.getLinkName());
        if (e.isCharacterDevice() || e.isBlockDevice()) {
          c.setDevMajor(e.getDevMajor());
          c.setDevMinor(e.getDevMinor());
        }
        Instant mtime = e.getLastModifiedTime().toInstant();
        c.setLastModifiedTime(FileTime.from(
            Instant.ofEpochSecond(Math.min(mtime.getEpochSecond(), clamp.getEpochSecond()))));
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
          if (h.getKey().startsWith(XATTR_PREFIX)) {
            c.addPaxHeader(h.getKey(), h.getValue());
          }
        }
        boolean hasData = e.isFile() && !e.isLink();
        c.setSize(hasData ? e.getSize() : 0);
        w.putArchiveEntry(c);
        if (hasData) {
          tar.transferTo(w);
        }
        w.closeArchiveEntry();
      }
      w.finish();
    }
  }

  private static byte[] config(byte[] original, Instant clamp, List<ImageArchive.Layer> layers)
      throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(original);
    config.put("created", clamp.toString());
    config.remove("container");
    config.remove("container_config");
    JsonNode history = config.get("history");
    if (history instanceof ArrayNode entries) {
      for (JsonNode entry : entries) {
        if (entry instanceof ObjectNode h && h.hasNonNull("created") && isAfter(h.get("created").asText(), clamp)) {
          h.put("created", clamp.toString());
        }
      }
    }
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.diffId()));
    return JSON.writeValueAsBytes(config);
  }

  private static boolean isAfter(String time, Instant clamp) {
    try {
      return Instant.parse(time).isAfter(clamp);
    } catch (DateTimeParseException e) {
      return true; // an unreadable time cannot be reproduced either
    }
  }
}
