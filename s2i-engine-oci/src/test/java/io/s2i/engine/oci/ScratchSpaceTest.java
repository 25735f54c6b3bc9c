package io.s2i.engine.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s2i.engine.EngineUnavailableException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScratchSpaceTest {
  @Test
  void sizedMemoryAndDiskSettingsAreRead() throws Exception {
    assertThat(ScratchSpace.fromEnvironment(Map.of("S2I_OCI_SCRATCH", "memory:8g")).tmpfsBytes())
        .contains(8L << 30);
    assertThat(ScratchSpace.fromEnvironment(Map.of("S2I_OCI_SCRATCH", "memory:512M")).tmpfsBytes())
        .contains(512L << 20);
    assertThat(ScratchSpace.fromEnvironment(Map.of("S2I_OCI_SCRATCH", "disk")).tmpfsBytes()).isEqualTo(Optional.empty());
    assertThat(ScratchSpace.fromEnvironment(Map.of("S2I_OCI_SCRATCH", "memory")).inMemory()).isTrue();
  }

  @Test
  void unknownSettingIsRefusedWithTheAcceptedForms() {
    assertThatThrownBy(() -> ScratchSpace.fromEnvironment(Map.of("S2I_OCI_SCRATCH", "ram:2g")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("S2I_OCI_SCRATCH=ram:2g");
  }

  @Test
  void enospcIsRecognisedWhateverTheToolsCase() {
    assertThat(ScratchSpace.saysNoSpace("cp: error writing 'x': No space left on device")).isTrue();
    assertThat(ScratchSpace.saysNoSpace("npm ERR! ENOSPC: no space left on device, write")).isTrue();
    assertThat(ScratchSpace.saysNoSpace("---> Installing application source")).isFalse();
  }
}
