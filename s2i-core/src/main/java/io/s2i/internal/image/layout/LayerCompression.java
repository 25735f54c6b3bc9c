package io.s2i.internal.image.layout;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The one gzip of layers for every output (OCI layout, registry push) and the one way of reading a
 * compressed layer back. Compression is deterministic: {@link GZIPOutputStream} writes mtime 0 and
 * no file name, so the same tar always gives the same bytes and therefore the same digest, which
 * reproducible builds rely on.
 */
public final class LayerCompression {
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  private LayerCompression() {}

  /**
   * A compressed blob.
   *
   * @param digest the digest of the compressed bytes
   * @param size the number of compressed bytes
   */
  public record Compressed(String digest, long size) {}

  /**
   * An uncompressed layer.
   *
   * @param diffId the digest of the uncompressed tar
   * @param size the tar's size in bytes
   */
  public record Uncompressed(String diffId, long size) {}

  /** Compresses the tar {@code layer} into {@code out}; returns the digest and size written. */
  public static Compressed compress(Path layer, OutputStream out) throws IOException {
    MessageDigest md = Digests.sha256();
    CountingOutputStream counting = new CountingOutputStream(out);
    try (InputStream in = Files.newInputStream(layer);
        DigestOutputStream digesting = new DigestOutputStream(counting, md);
        GZIPOutputStream gzip = new FastGzip(digesting)) {
      in.transferTo(gzip);
    }
    return new Compressed(Digests.of(md), counting.count);
  }

  /**
   * Writes the layer read from {@code blob} uncompressed to {@code tar}. The blob may be gzip,
   * zstd ({@code tar+zstd}, read with commons-compress on zstd-jni) or an uncompressed tar (OCI
   * allows all three); which it is is told by its first bytes, not by a media type, so a
   * mislabelled layer still reads. {@code blob} is read to its end (so a digest the caller
   * computes over it covers every byte) and left open.
   *
   * @throws IOException when the blob cannot be read or is not valid gzip or zstd
   */
  public static Uncompressed decompress(InputStream blob, Path tar) throws IOException {
    BufferedInputStream in = new BufferedInputStream(blob, 65536);
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    MessageDigest md = Digests.sha256();
    InputStream content = startsWith(head, GZIP_MAGIC) ? new GZIPInputStream(in, 65536)
        : startsWith(head, ZSTD_MAGIC) ? zstd(in)
        : in;
    long size;
    DigestInputStream digesting = new DigestInputStream(content, md);
    try (OutputStream out = Files.newOutputStream(tar)) {
      size = digesting.transferTo(out);
    } finally {
      if (content instanceof ZstdCompressorInputStream) {
        content.close(); // frees zstd-jni's native buffers; the blob stays open behind the shield
      }
    }
    in.transferTo(OutputStream.nullOutputStream()); // anything after the gzip member
    return new Uncompressed(Digests.of(md), size);
  }

  /** A zstd stream that leaves {@code in} open (the caller reads what follows the frames). */
  private static InputStream zstd(InputStream in) throws IOException {
    return new ZstdCompressorInputStream(CloseShieldInputStream.wrap(in));
  }

  /** Whether {@code head} starts like a zstd frame. */
  public static boolean isZstd(byte[] head) {
    return startsWith(head, ZSTD_MAGIC);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * gzip at {@link java.util.zip.Deflater#BEST_SPEED}: layers are compressed on every build that
   * writes or pushes, and level 1 is several times quicker than the default.
   */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 65536);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
    }
  }

  /** Counts bytes and does not close the stream it wraps (the caller owns it). */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
