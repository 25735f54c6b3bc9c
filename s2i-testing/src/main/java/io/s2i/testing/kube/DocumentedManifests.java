package io.s2i.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes manifests and settings docs/kubernetes.md gives users, read for the tests that check
 * them (no cluster can run on these machines to apply them): the first {@code yaml} block of a
 * section, and the manifests of the "Manifests" section as typed objects.
 */
public final class DocumentedManifests {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
  private final String doc;

  private DocumentedManifests(String doc) {
    this.doc = doc;
  }

  /** docs/kubernetes.md of the checkout (system property s2i.repo.root, else the module's parent directory). */
  public static DocumentedManifests read() throws IOException {
    Path root = Path.of(System.getProperty("s2i.repo.root", Path.of("").toAbsolutePath().getParent().toString()));
    return new DocumentedManifests(Files.readString(root.resolve("docs/kubernetes.md")));
  }

  /** The first yaml block under the heading {@code ## section}, before the next heading of that level. */
  public String yamlBlock(String section) {
    int start = doc.indexOf("\n## " + section + "\n");
    if (start < 0) {
      throw new IllegalStateException("docs/kubernetes.md has no section " + section);
    }
    int end = doc.indexOf("\n## ", start + 1);
    Matcher m = YAML_BLOCK.matcher(end < 0 ? doc.substring(start) : doc.substring(start, end));
    if (!m.find()) {
      throw new IllegalStateException("docs/kubernetes.md: no yaml block under " + section);
    }
    return m.group(1);
  }

  /** The objects of the "Manifests" section, in order. */
  public List<HasMetadata> manifests() {
    List<HasMetadata> out = new ArrayList<>();
    for (String part : yamlBlock("Manifests").split("(?m)^---\\s*$")) {
      out.add(Serialization.unmarshal(part, HasMetadata.class));
    }
    return out;
  }
}
