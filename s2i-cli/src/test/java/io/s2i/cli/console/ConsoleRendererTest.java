package io.s2i.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleRendererTest {
  @Test
  void scriptOutputIsShownAsWrittenLeadingSpacesIncluded() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ConsoleRenderer console = new ConsoleRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), 0, false);
    console.accept(new BuildEvent.ContainerOutput(BuildEvent.Stream.STDOUT, "  Collecting flask"));
    console.accept(new BuildEvent.ContainerOutput(BuildEvent.Stream.STDERR, "\t  at Main.java:3"));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("  Collecting flask\n\t  at Main.java:3\n");
  }
}
