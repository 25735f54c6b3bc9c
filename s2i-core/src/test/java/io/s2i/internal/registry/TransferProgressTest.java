package io.s2i.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
  @Test
  void sumsLayersAndReportsEachFinishedLayer() {
    List<BuildEvent> events = new ArrayList<>();
    TransferProgress p = new TransferProgress(events::add, "Pulling", "app:1");
    p.layer("aaaaaaaaaaaa", "Downloading", 50, 100, false);
    p.layer("bbbbbbbbbbbb", "Downloading", 10, 200, false);
    p.layer("aaaaaaaaaaaa", "Pull complete", -1, -1, true);
    p.finish();
    BuildEvent.Transfer last = (BuildEvent.Transfer) events.get(events.size() - 1);
    assertThat(last).isEqualTo(new BuildEvent.Transfer("Pulling", "app:1", 1, 2, 110, 300, true));
    assertThat(events).anyMatch(e -> e instanceof BuildEvent.Transfer t && !t.done() && t.layersDone() == 1);
  }
}
