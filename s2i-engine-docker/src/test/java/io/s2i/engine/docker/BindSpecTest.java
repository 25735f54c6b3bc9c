package io.s2i.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.SELContext;
import io.s2i.engine.EngineException;
import org.junit.jupiter.api.Test;

class BindSpecTest {
  @Test
  void hostAndContainerDefaultToReadWrite() throws Exception {
    Bind bind = BindSpec.parse("/src:/opt/src");
    assertThat(bind.getPath()).isEqualTo("/src");
    assertThat(bind.getVolume().getPath()).isEqualTo("/opt/src");
    assertThat(bind.getAccessMode()).isEqualTo(AccessMode.rw);
  }

  @Test
  void readOnlyAndSelinuxOptions() throws Exception {
    Bind bind = BindSpec.parse("/src:/opt/src:ro,Z");
    assertThat(bind.getAccessMode()).isEqualTo(AccessMode.ro);
    assertThat(bind.getSecMode()).isEqualTo(SELContext.single);
    assertThat(BindSpec.parse("/a:/b:rw").getAccessMode()).isEqualTo(AccessMode.rw);
  }

  @Test
  void missingContainerPathIsRejected() {
    assertThatThrownBy(() -> BindSpec.parse("/only-host"))
        .isInstanceOf(EngineException.class)
        .hasMessage("invalid bind mount \"/only-host\": expected host:container[:ro|rw]");
  }

  @Test
  void relativeContainerPathIsRejected() {
    assertThatThrownBy(() -> BindSpec.parse("/src:relative"))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("must be absolute");
  }

  @Test
  void emptyHostUnknownOptionAndTooManyPartsAreRejected() {
    assertThatThrownBy(() -> BindSpec.parse(":/dst")).hasMessageContaining("host path is empty");
    assertThatThrownBy(() -> BindSpec.parse("/a:/b:rx")).hasMessageContaining("unknown option \"rx\"");
    assertThatThrownBy(() -> BindSpec.parse("/a:/b:ro:extra")).isInstanceOf(EngineException.class);
  }
}
