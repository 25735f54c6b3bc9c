package io.s2i.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectionArchiveTest {

  @Test
  void directoryInjection(@TempDir Path tmp) throws Exception {
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    InputArchiveTest.file(secrets.resolve("token"), "t0k", "rw-------");
    InputArchiveTest.file(secrets.resolve("sub/key"), "k", "r--------");
    Files.setPosixFilePermissions(secrets.resolve("sub"), PosixFilePermissions.fromString("rwx------"));
    Path single = tmp.resolve("single.conf");
    InputArchiveTest.file(single, "conf", "rw-r-----");

    InjectionArchive archive = new InjectionArchive(List.of(
        new InjectionArchive.Item(secrets, "/opt/app-root/src/rel"),
        new InjectionArchive.Item(single, "/etc/single.conf")));
    Map<String, InputArchiveTest.Entry> entries =
        InputArchiveTest.read(InputArchiveTest.write(archive));

    assertThat(new ArrayList<>(entries.keySet())).containsExactly(
        "opt/app-root/src/rel/sub/",
        "opt/app-root/src/rel/sub/key",
        "opt/app-root/src/rel/token",
        "etc/single.conf");
    assertThat(entries.get("opt/app-root/src/rel/sub/").header().getMode() & 07777).isEqualTo(0777);
    assertThat(entries.get("opt/app-root/src/rel/sub/key").header().getMode() & 07777).isEqualTo(0666);
    assertThat(entries.get("opt/app-root/src/rel/token").header().getMode() & 07777).isEqualTo(0666);
    assertThat(entries.get("etc/single.conf").header().getMode() & 07777).isEqualTo(0666);
    assertThat(entries.get("opt/app-root/src/rel/token").content()).isEqualTo("t0k");
    assertThat(entries.get("etc/single.conf").content()).isEqualTo("conf");
    for (var e : entries.values()) {
      assertThat(e.header().getLongUserId()).isZero();
      assertThat(e.header().getLongGroupId()).isZero();
    }

    assertThat(archive.injectedFiles()).containsExactly(
        "/opt/app-root/src/rel/sub/key", "/opt/app-root/src/rel/token", "/etc/single.conf");
  }

  @Test
  void noEntryForDestinationDirectoryItself(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    InputArchiveTest.file(dir.resolve("f"), "x", "rw-r--r--");
    InjectionArchive archive = new InjectionArchive(List.of(new InjectionArchive.Item(dir, "/tmp")));
    Map<String, InputArchiveTest.Entry> entries =
        InputArchiveTest.read(InputArchiveTest.write(archive));
    assertThat(entries.keySet()).containsExactly("tmp/f");
    assertThat(archive.injectedFiles()).containsExactly("/tmp/f");
  }

  @Test
  void injectionAtRoot(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    InputArchiveTest.file(dir.resolve("f"), "x", "rw-r--r--");
    InjectionArchive archive = new InjectionArchive(List.of(new InjectionArchive.Item(dir, "/")));
    assertThat(InputArchiveTest.read(InputArchiveTest.write(archive)).keySet()).containsExactly("f");
    assertThat(archive.injectedFiles()).containsExactly("/f");
  }

  @Test
  void emptyDirectoryInjectsNothing(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    InjectionArchive archive = new InjectionArchive(List.of(new InjectionArchive.Item(dir, "/x")));
    assertThat(InputArchiveTest.read(InputArchiveTest.write(archive))).isEmpty();
    assertThat(archive.injectedFiles()).isEmpty();
  }
}
