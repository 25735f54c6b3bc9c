package io.s2i.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary directories of processes that were killed outright are found and removed; others stay. */
class OwnedDirsTest {
  @TempDir Path tmp;

  /** Makes a marked directory in another JVM and holds it until killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      OwnedDirs.Owned owned = OwnedDirs.create(Path.of(args[0]), "s2i");
      Files.writeString(owned.dir().resolve("work"), "in progress");
      System.out.println(owned.dir());
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  @Test
  void aKilledProcesssDirectoryIsRemovedAndALiveOnesStays() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
        tmp.toString()).redirectErrorStream(true).start();
    try {
      Path dir = Path.of(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
          .readLine());
      assertThat(dir).startsWith(tmp).exists();
      assertThat(OwnedDirs.sweep(tmp, "s2i")).as("its maker runs").isEmpty();
      assertThat(dir.resolve("work")).exists();

      holder.destroyForcibly(); // kill -9: no clean-up of its own
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(dir).exists();
      assertThat(OwnedDirs.sweep(tmp, "s2i")).containsExactly(dir);
      assertThat(dir).doesNotExist();
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void ownDirectoriesKeptOnesAndUnmarkedOnesStay() throws Exception {
    OwnedDirs.Owned mine = OwnedDirs.create(tmp, "s2i");
    OwnedDirs.Owned kept = OwnedDirs.create(tmp, "s2i");
    kept.release(); // as --save-temp-dir: nobody's to sweep any more
    Path unmarked = Files.createDirectories(tmp.resolve("s2i-someone-elses"));
    Path otherPrefix = OwnedDirs.create(tmp, "other").dir();
    assertThat(OwnedDirs.sweep(tmp, "s2i")).isEmpty();
    assertThat(mine.dir()).exists();
    assertThat(kept.dir()).exists();
    assertThat(kept.dir().resolve(OwnedDirs.LOCK)).doesNotExist();
    assertThat(unmarked).exists();
    assertThat(otherPrefix).exists();
    mine.close();
    assertThat(mine.dir()).doesNotExist();
  }

  @Test
  void aMarkedDirectoryNobodyHoldsIsSwept() throws Exception {
    Path left = Files.createDirectories(tmp.resolve("s2i12345"));
    Files.createDirectories(left.resolve("upload/src"));
    try (FileChannel ignored = FileChannel.open(left.resolve(OwnedDirs.LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      // made, never locked: as after its maker died
    }
    assertThat(OwnedDirs.sweep(tmp, "s2i")).containsExactly(left);
  }

  @Test
  void processOwnersAreRecognisedAndJudged() {
    ProcessOwner me = ProcessOwner.current();
    assertThat(ProcessOwner.find("s2i_x_0a1b2c3d_" + me.token())).contains(me);
    assertThat(me.gone()).isFalse();
    // The same pid with another start time: the pid was reused, the owner is gone.
    assertThat(new ProcessOwner(me.machine(), me.boot(), me.pidNamespace(), me.pid(), me.startTicks() + 1).gone())
        .isTrue();
    assertThat(new ProcessOwner(me.machine(), "00000000".equals(me.boot()) ? "00000001" : "00000000",
        me.pidNamespace(), me.pid(), me.startTicks()).gone()).as("booted since").isTrue();
    assertThat(new ProcessOwner("ffffffff".equals(me.machine()) ? "eeeeeeee" : "ffffffff", me.boot(),
        me.pidNamespace(), 1, 1).gone()).as("another machine's is never judged").isFalse();
    assertThat(ProcessOwner.find("s2i_x_0a1b2c3d")).isEmpty();
  }
}
