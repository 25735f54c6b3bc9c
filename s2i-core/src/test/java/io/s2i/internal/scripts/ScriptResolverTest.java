package io.s2i.internal.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.s2i.api.BuildEvent;
import io.s2i.api.EventSink;
import io.s2i.api.FailureReason;
import io.s2i.internal.contract.ScriptName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptResolverTest {
  private static final Set<ScriptName> REQUIRED = EnumSet.of(ScriptName.ASSEMBLE, ScriptName.RUN);
  private static final Set<ScriptName> OPTIONAL = EnumSet.of(ScriptName.SAVE_ARTIFACTS);

  @TempDir Path tmp;
  Path downloads;
  HttpServer server;
  final Map<String, String> served = new ConcurrentHashMap<>();
  final List<String> requested = Collections.synchronizedList(new ArrayList<>());
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
  ScriptResolver resolver;

  @BeforeEach
  void setUp() throws IOException {
    downloads = tmp.resolve("downloads");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requested.add(path);
      String body = served.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
      exchange.close();
    });
    server.start();
    EventSink sink = events::add;
    resolver = new ScriptResolver(new ScriptDownloader(), sink);
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private String http(String dir) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + dir;
  }

  private Path scriptsDir(String name, String... scripts) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String s : scripts) {
      Files.writeString(dir.resolve(s), name + ":" + s);
    }
    return dir;
  }

  private Path source(String binDir, String... scripts) throws IOException {
    Path root = Files.createDirectories(tmp.resolve("src"));
    Path bin = Files.createDirectories(root.resolve(binDir));
    for (String s : scripts) {
      Files.writeString(bin.resolve(s), "source:" + s);
    }
    return root;
  }

  private ScriptResolver.Request request(String userUrl, Path source, String imageUrl) {
    return new ScriptResolver.Request(REQUIRED, OPTIONAL, Optional.ofNullable(userUrl),
        Optional.ofNullable(source), Optional.ofNullable(imageUrl), downloads);
  }

  private static String content(ResolvedScript s) throws IOException {
    return Files.readString(((ResolvedScript.Uploaded) s).file());
  }

  @Test
  void imageLabelGivesInImageScriptsWithCleanedPaths() throws Exception {
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request(null, null, "image:///tmp/scripts/"));
    assertThat(found).containsOnlyKeys(ScriptName.ASSEMBLE, ScriptName.RUN, ScriptName.SAVE_ARTIFACTS);
    assertThat(found.get(ScriptName.ASSEMBLE)).isInstanceOfSatisfying(ResolvedScript.InImage.class,
        s -> assertThat(s.path()).isEqualTo("/tmp/scripts/assemble"));
    assertThat(((ResolvedScript.InImage) found.get(ScriptName.SAVE_ARTIFACTS)).path())
        .isEqualTo("/tmp/scripts/save-artifacts");
    assertThat(((ResolvedScript.InImage) found.get(ScriptName.RUN)).path())
        .isEqualTo("/tmp/scripts/run");
  }

  @Test
  void imageUrlPathsAreCleaned() throws Exception {
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request(null, null, "image:///usr/libexec//s2i/./"));
    assertThat(((ResolvedScript.InImage) found.get(ScriptName.RUN)).path())
        .isEqualTo("/usr/libexec/s2i/run");
  }

  @Test
  void scriptsUrlBeatsSourceWhichBeatsImagePerScript() throws Exception {
    Path user = scriptsDir("user", "assemble");
    Path src = source(".s2i/bin", "assemble", "run");
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request("file://" + user, src, "image:///usr/libexec/s2i"));
    assertThat(content(found.get(ScriptName.ASSEMBLE))).isEqualTo("user:assemble");
    assertThat(((ResolvedScript.Uploaded) found.get(ScriptName.ASSEMBLE)).fromSource()).isFalse();
    ResolvedScript run = found.get(ScriptName.RUN);
    assertThat(run).isInstanceOf(ResolvedScript.Uploaded.class);
    assertThat(((ResolvedScript.Uploaded) run).fromSource()).isTrue();
    assertThat(((ResolvedScript.Uploaded) run).file()).isEqualTo(src.resolve(".s2i/bin/run"));
    assertThat(found.get(ScriptName.SAVE_ARTIFACTS)).isInstanceOfSatisfying(
        ResolvedScript.InImage.class,
        s -> assertThat(s.path()).isEqualTo("/usr/libexec/s2i/save-artifacts"));
  }

  @Test
  void imageSchemeScriptsUrlWinsOverSourceScripts() throws Exception {
    Path src = source(".s2i/bin", "assemble", "run");
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request("image:///opt/s", src, null));
    assertThat(found.get(ScriptName.ASSEMBLE)).isInstanceOfSatisfying(ResolvedScript.InImage.class,
        s -> assertThat(s.path()).isEqualTo("/opt/s/assemble"));
    assertThat(found.get(ScriptName.SAVE_ARTIFACTS)).isInstanceOf(ResolvedScript.InImage.class);
  }

  @Test
  void imageSchemeLabelLosesToSourceScripts() throws Exception {
    Path src = source(".s2i/bin", "assemble");
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request(null, src, "image:///usr/libexec/s2i"));
    assertThat(found.get(ScriptName.ASSEMBLE)).isInstanceOf(ResolvedScript.Uploaded.class);
    assertThat(found.get(ScriptName.RUN)).isInstanceOf(ResolvedScript.InImage.class);
  }

  @Test
  void legacyStiBinIsAFallback() throws Exception {
    Path src = source(".sti/bin", "assemble", "run");
    Files.createDirectories(src.resolve(".s2i/bin"));
    Files.writeString(src.resolve(".s2i/bin/run"), "new:run");
    Map<ScriptName, ResolvedScript> found = resolver.resolve(request(null, src, null));
    assertThat(content(found.get(ScriptName.ASSEMBLE))).isEqualTo("source:assemble");
    assertThat(((ResolvedScript.Uploaded) found.get(ScriptName.ASSEMBLE)).file())
        .isEqualTo(src.resolve(".sti/bin/assemble"));
    assertThat(content(found.get(ScriptName.RUN))).isEqualTo("new:run");
    assertThat(found).doesNotContainKey(ScriptName.SAVE_ARTIFACTS);
    assertThat(events).anyMatch(e -> e instanceof BuildEvent.Log l && l.message().contains(".sti/bin"));
  }

  @Test
  void fileUrlScriptsAreCopiedWithMode0755() throws Exception {
    Path img = scriptsDir("img", "assemble", "run", "save-artifacts");
    Map<ScriptName, ResolvedScript> found = resolver.resolve(request(null, null, "file://" + img + "/"));
    ResolvedScript.Uploaded assemble = (ResolvedScript.Uploaded) found.get(ScriptName.ASSEMBLE);
    assertThat(assemble.file().getParent()).isEqualTo(downloads);
    assertThat(Files.readString(assemble.file())).isEqualTo("img:assemble");
    assertThat(Files.getPosixFilePermissions(assemble.file())).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_EXECUTE);
    assertThat(assemble.fromSource()).isFalse();
    assertThat(found).containsKey(ScriptName.SAVE_ARTIFACTS);
  }

  @Test
  void httpScriptsAreDownloadedAnd404IsAFailedPlace() throws Exception {
    served.put("/s2i/assemble", "http:assemble");
    served.put("/s2i/run", "http:run");
    Map<ScriptName, ResolvedScript> found = resolver.resolve(request(http("/s2i"), null, null));
    assertThat(content(found.get(ScriptName.ASSEMBLE))).isEqualTo("http:assemble");
    assertThat(content(found.get(ScriptName.RUN))).isEqualTo("http:run");
    assertThat(found).doesNotContainKey(ScriptName.SAVE_ARTIFACTS);
    assertThat(requested).contains("/s2i/assemble", "/s2i/run", "/s2i/save-artifacts");
  }

  @Test
  void failedScriptsUrlFallsBackToImage() throws Exception {
    served.put("/s2i/run", "http:run");
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request(http("/s2i/"), null, "image:///usr/libexec/s2i"));
    assertThat(content(found.get(ScriptName.RUN))).isEqualTo("http:run");
    assertThat(found.get(ScriptName.ASSEMBLE)).isInstanceOf(ResolvedScript.InImage.class);
    assertThat(requested).contains("/s2i/assemble").doesNotContain("/s2i//assemble");
  }

  @Test
  void missingRequiredScriptsListNamesAndEveryPlace() throws Exception {
    Path src = source(".s2i/bin");
    Path img = scriptsDir("img", "run");
    String userUrl = http("/none");
    served.put("/none/save-artifacts", "x");
    assertThatThrownBy(() -> resolver.resolve(request(userUrl, src, "file://" + img)))
        .isInstanceOfSatisfying(ScriptsNotFoundException.class, e -> {
          assertThat(e.reason()).isEqualTo(FailureReason.INSTALL_SCRIPTS_FAILED);
          assertThat(e.getMessage())
              .startsWith("failed to install [assemble]")
              .contains(userUrl)
              .contains(".s2i/bin")
              .contains(".sti/bin")
              .contains("file://" + img);
          assertThat(e.suggestion()).hasValueSatisfying(
              s -> assertThat(s).contains("io.openshift.s2i.scripts-url"));
        });
  }

  @Test
  void allMissingRequiredScriptsAreListedTogether() {
    assertThatThrownBy(() -> resolver.resolve(request(null, null, null)))
        .isInstanceOf(ScriptsNotFoundException.class)
        .hasMessageStartingWith("failed to install [assemble run]")
        .hasMessageContaining("io.openshift.s2i.scripts-url");
  }

  @Test
  void scriptsUrlThatGivesNothingFailsEvenWhenImageHasEverything() {
    String userUrl = http("/empty");
    assertThatThrownBy(() -> resolver.resolve(request(userUrl, null, "image:///usr/libexec/s2i")))
        .isInstanceOf(ScriptsNotFoundException.class)
        .hasMessage("could not download any scripts from URL " + userUrl);
  }

  @Test
  void scriptsUrlThatGivesOnlyAnOptionalScriptIsEnough() throws Exception {
    served.put("/u/save-artifacts", "sa");
    Map<ScriptName, ResolvedScript> found =
        resolver.resolve(request(http("/u"), null, "image:///usr/libexec/s2i"));
    assertThat(content(found.get(ScriptName.SAVE_ARTIFACTS))).isEqualTo("sa");
    assertThat(found.get(ScriptName.ASSEMBLE)).isInstanceOf(ResolvedScript.InImage.class);
  }

  @Test
  void missingRequiredIsReportedBeforeTheScriptsUrlRule() {
    String userUrl = http("/empty");
    assertThatThrownBy(() -> resolver.resolve(request(userUrl, null, null)))
        .isInstanceOf(ScriptsNotFoundException.class)
        .hasMessageStartingWith("failed to install [assemble run]");
  }

  @Test
  void unknownSchemeFromLabelIsJustAFailedPlace() throws Exception {
    Path src = source(".s2i/bin", "assemble", "run");
    Map<ScriptName, ResolvedScript> found = resolver.resolve(request(null, src, "ftp://host/dir"));
    assertThat(found).containsOnlyKeys(ScriptName.ASSEMBLE, ScriptName.RUN);
    assertThatThrownBy(() -> resolver.resolve(request(null, null, "ftp://host/dir")))
        .isInstanceOf(ScriptsNotFoundException.class)
        .hasMessageContaining("ftp://host/dir");
  }

  @Test
  void fakeDownloaderSeesConcatenatedUrls() throws Exception {
    List<String> urls = new ArrayList<>();
    ScriptDownloader fake = new ScriptDownloader() {
      @Override
      public void download(String url, Path target) throws IOException {
        urls.add(url);
        if (url.endsWith("/run")) {
          throw new IOException("nope");
        }
        Files.writeString(target, url);
      }
    };
    ScriptResolver r = new ScriptResolver(fake, EventSink.discard());
    Map<ScriptName, ResolvedScript> found =
        r.resolve(request("https://example.com/s/", null, "image:///img"));
    assertThat(urls).containsExactlyInAnyOrder(
        "https://example.com/s/assemble", "https://example.com/s/run",
        "https://example.com/s/save-artifacts");
    assertThat(found.get(ScriptName.RUN)).isInstanceOfSatisfying(ResolvedScript.InImage.class,
        s -> assertThat(s.path()).isEqualTo("/img/run"));
    assertThat(content(found.get(ScriptName.ASSEMBLE))).isEqualTo("https://example.com/s/assemble");
  }

  @Test
  void downloaderSchemeAndFileUrlPath() {
    assertThat(ScriptDownloader.scheme("HTTP://x")).isEqualTo("http");
    assertThat(ScriptDownloader.scheme("/no/scheme")).isEmpty();
    assertThat(ScriptDownloader.fileUrlPath("file:///abs/dir/run")).isEqualTo(Path.of("/abs/dir/run"));
    assertThat(ScriptDownloader.fileUrlPath("file://relative/dir/run"))
        .isEqualTo(Path.of("relative/dir/run"));
  }

  @Test
  void downloaderRejectsUnknownScheme() {
    assertThatThrownBy(() -> new ScriptDownloader().download("ftp://h/x", tmp.resolve("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ftp://h/x");
  }
}
