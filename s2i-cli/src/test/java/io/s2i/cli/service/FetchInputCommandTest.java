package io.s2i.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.s2i.cli.S2iCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s2i fetch-input}, the build pod's first step, against a stand-in for the server's input
 * endpoint: it sends the token from its file, unpacks what it gets by the upload rules, and turns
 * the server's refusals and hostile archives into one-line errors with exit status 4.
 */
class FetchInputCommandTest {
  @TempDir Path tmp;
  HttpServer server;
  final AtomicInteger served = new AtomicInteger();
  volatile byte[] body;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/executor/v1/builds/app-1/input", ex -> {
      boolean ok = "Bearer s2ii_token".equals(ex.getRequestHeaders().getFirst("Authorization"))
          && served.getAndIncrement() == 0;
      byte[] answer = ok ? body : "{\"error\":\"the input token of build app-1 has been used: an input is served once\"}"
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(ok ? 200 : 410, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    server.start();
    Files.writeString(tmp.resolve("token"), "s2ii_token\n");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static byte[] tarGz(String... namesAndContents) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] data = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  record Run(int exit, String stderr) {}

  Run fetch(String... extra) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/executor/v1/builds/app-1/input";
    String[] args = new String[extra.length + 7];
    System.arraycopy(new String[] {"fetch-input", "--from", url, "--token-file", tmp.resolve("token").toString(),
        "--into", tmp.resolve("inputs").toString()}, 0, args, 0, 7);
    System.arraycopy(extra, 0, args, 7, extra.length);
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = S2iCli.commandLine().execute(args);
      return new Run(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void aDirectoryUploadIsUnpackedOnceWithoutItsGitDirectory() throws Exception {
    body = tarGz("app.sh", "echo hi\n", "sub/data.txt", "data\n", ".git/HEAD", "ref: refs/heads/main\n");
    Run ok = fetch("--kind", "dir");
    assertThat(ok.exit()).as(ok.stderr()).isZero();
    assertThat(ok.stderr()).contains("Received the dir input (");
    assertThat(tmp.resolve("inputs/sub/data.txt")).hasContent("data");
    assertThat(tmp.resolve("inputs/.git")).doesNotExist();
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no partial download left").containsExactlyInAnyOrder(
          "token", "inputs");
    }
    Run again = fetch("--kind", "dir");
    assertThat(again.exit()).isEqualTo(4);
    assertThat(again.stderr().strip()).startsWith("ERROR: fetching the build's input from http://127.0.0.1:")
        .contains("failed: HTTP 410 the input token of build app-1 has been used").doesNotContain("\n");
  }

  @Test
  void aFileIsPlacedUnderItsNameAndHostileArchivesAreRefused() throws Exception {
    body = "a jar".getBytes(StandardCharsets.UTF_8);
    assertThat(fetch("--kind", "file", "--name", "app.jar").exit()).isZero();
    assertThat(tmp.resolve("inputs/app.jar")).hasContent("a jar");
    served.set(0);
    body = tarGz("../escaped.txt", "no\n");
    Run hostile = fetch("--kind", "archive");
    assertThat(hostile.exit()).isEqualTo(4);
    assertThat(hostile.stderr()).contains("ERROR: the build's input was refused");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThat(fetch("--kind", "file", "--name", "../x").exit()).isEqualTo(2);
    assertThat(fetch("--kind", "rpm").stderr()).contains("--kind rpm is not file, archive, dir or repo");
  }
}
