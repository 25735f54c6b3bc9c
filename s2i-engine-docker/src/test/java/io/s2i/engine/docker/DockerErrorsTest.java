package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {
  @Test
  void daemonMessageIsTakenFromTheJsonBody() {
    assertThat(DockerErrors.message(new NotFoundException("{\"message\":\"No such image: x:1\"}\n")))
        .isEqualTo("No such image: x:1");
  }

  @Test
  void transportErrorsGiveTheirRootCauseOnOneLine() {
    Exception e = new RuntimeException(new UncheckedIOException(new IOException("Connection refused\nretry")));
    assertThat(DockerErrors.message(e)).isEqualTo("Connection refused; retry");
  }

  @Test
  void nonJsonBodyIsKeptAsText() {
    assertThat(DockerErrors.daemonMessage("page not found\n")).isEqualTo("page not found");
  }
}
