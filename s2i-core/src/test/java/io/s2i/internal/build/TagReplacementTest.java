package io.s2i.internal.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildEvent;
import io.s2i.api.ImageRef;
import io.s2i.api.PullPolicy;
import io.s2i.api.RegistryCredentials;
import io.s2i.engine.ArchiveSource;
import io.s2i.engine.ImageInfo;
import io.s2i.engine.ImageStore;
import io.s2i.engine.OutputSink;
import io.s2i.engine.TransferListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Builds racing for one tag: the loser's image is named and removed unless something keeps it. */
class TagReplacementTest {
  /** Names to ids; images in {@code kept} are used by something else. */
  static final class Images implements ImageStore {
    final Map<String, String> names = new HashMap<>();
    final Set<String> kept = new HashSet<>();
    final List<String> removed = new ArrayList<>();

    @Override
    public Optional<ImageInfo> inspect(String ref) {
      return Optional.ofNullable(names.get(ref)).map(id -> new ImageInfo(id, Map.of(), List.of(), "", "", List.of(),
          List.of(), List.of(), 0));
    }

    @Override
    public boolean removeIfUnused(String imageId) {
      if (kept.contains(imageId) || names.containsValue(imageId)) {
        return false;
      }
      removed.add(imageId);
      return true;
    }

    @Override
    public ImageInfo ensure(String ref, PullPolicy policy, Optional<RegistryCredentials> c, TransferListener p) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String build(ArchiveSource context, Optional<String> tag, Optional<String> network, OutputSink output) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void tag(String imageId, String ref) {
      names.put(ref, imageId);
    }

    @Override
    public String push(String ref, Optional<RegistryCredentials> credentials, TransferListener progress) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void export(String image, OutputStream out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void load(InputStream dockerArchive) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String image) {
      throw new UnsupportedOperationException();
    }
  }

  private final List<String> warnings = new ArrayList<>();

  private void warn(BuildEvent e) {
    if (e instanceof BuildEvent.Log l && l.level() == BuildEvent.Level.WARN) {
      warnings.add(l.message());
    }
  }

  @Test
  void anImageAnotherBuildTaggedMeanwhileIsNamedAndRemoved() throws Exception {
    Images images = new Images();
    images.names.put("app:latest", "sha256:old");
    TagReplacement mine = TagReplacement.start(images, Optional.of(ImageRef.parse("app")));
    images.names.put("app:latest", "sha256:theirs"); // another build finished first
    mine.commit(() -> {
      images.names.put("app:latest", "sha256:mine");
      return "sha256:mine";
    }, id -> id, this::warn);
    assertThat(images.removed).containsExactly("sha256:theirs");
    assertThat(warnings).singleElement().asString().contains("app:latest now names mine").contains("it named theirs")
        .contains("removed");
  }

  @Test
  void theImageTheTagNamedAtTheStartStaysAsUpstreamLeavesIt() throws Exception {
    Images images = new Images();
    images.names.put("app:latest", "sha256:old");
    TagReplacement mine = TagReplacement.start(images, Optional.of(ImageRef.parse("app")));
    mine.commit(() -> {
      images.names.put("app:latest", "sha256:mine");
      return "sha256:mine";
    }, id -> id, this::warn);
    assertThat(images.removed).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void anImageInUseOrNamedElsewhereIsKeptAndSaidSo() throws Exception {
    Images images = new Images();
    TagReplacement mine = TagReplacement.start(images, Optional.of(ImageRef.parse("app")));
    images.names.put("app:latest", "sha256:theirs");
    images.kept.add("sha256:theirs");
    mine.commit(() -> {
      images.names.put("app:latest", "sha256:mine");
      return "sha256:mine";
    }, id -> id, this::warn);
    assertThat(images.removed).isEmpty();
    assertThat(warnings).singleElement().asString().contains("kept");
  }
}
