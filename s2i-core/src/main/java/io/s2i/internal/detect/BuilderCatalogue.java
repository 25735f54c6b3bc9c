package io.s2i.internal.detect;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.s2i.api.FailureReason;
import io.s2i.api.S2iException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builder images by the language (and version) they build, read from YAML: the catalogue shipped
 * in s2i ({@code builders.yaml} beside this class, the public UBI/sclorg builders), or a user's
 * file that replaces it ({@code --builders FILE}, {@code S2I_BUILDERS}). It plays the part of
 * OpenShift's image streams in the {@code openshift} namespace: an entry is an image stream tag,
 * {@code language}/{@code version} its {@code supports} annotation, and {@code default: true}
 * the tag (OpenShift's {@code latest}) that a source asking for no version, or for a version no
 * builder has, gets.
 *
 * <pre>
 * builders:
 *   - image: registry.access.redhat.com/ubi9/python-312
 *     language: python
 *     version: "3.12"
 *     default: true
 * </pre>
 *
 * @param origin where it was read, for messages
 * @param entries the builders, in file order
 */
public record BuilderCatalogue(String origin, List<Entry> entries) {
  private static final String SHIPPED = "builders.yaml";

  /**
   * One builder.
   *
   * @param image the image reference
   * @param language the language it builds
   * @param version the language version it provides; empty for any
   * @param isDefault whether it is the language's builder when no version decides
   */
  public record Entry(String image, String language, Optional<String> version, boolean isDefault) {}

  /** The file's shape, for Jackson; unknown keys are errors so that typos are not ignored. */
  private record FileModel(@JsonProperty(value = "builders", required = true) List<EntryModel> builders) {}

  private record EntryModel(
      @JsonProperty(value = "image", required = true) String image,
      @JsonProperty(value = "language", required = true) String language,
      @JsonProperty("version") String version,
      @JsonProperty("default") Boolean isDefault,
      @JsonProperty("description") String description) {}

  /** The catalogue shipped with s2i. */
  public static BuilderCatalogue shipped() {
    try (InputStream in = BuilderCatalogue.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(SHIPPED + " is missing from the s2i-core jar");
      }
      return parse(in.readAllBytes(), "the default catalogue");
    } catch (IOException | S2iException e) {
      throw new IllegalStateException("the shipped " + SHIPPED + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** A user's catalogue file. */
  public static BuilderCatalogue read(Path file) throws S2iException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new S2iException(FailureReason.INVALID_REQUEST, "cannot read the builders file " + file + ": "
          + e.getMessage(), "give --builders (or S2I_BUILDERS) a readable YAML file");
    }
    return parse(bytes, file.toString());
  }

  static BuilderCatalogue parse(byte[] yaml, String origin) throws S2iException {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    FileModel model;
    try {
      model = mapper.readValue(yaml, FileModel.class);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw invalid(origin, why);
    }
    if (model == null || model.builders() == null) {
      throw invalid(origin, "it has no builders list");
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, String> defaults = new HashMap<>();
    for (EntryModel m : model.builders()) {
      if (m == null || m.image() == null || m.image().isBlank() || m.language() == null || m.language().isBlank()) {
        throw invalid(origin, "every builder needs an image and a language");
      }
      String language = LanguageRules.canonical(m.language()).orElse(m.language().strip());
      boolean isDefault = Boolean.TRUE.equals(m.isDefault());
      if (isDefault && defaults.putIfAbsent(language, m.image()) != null) {
        throw invalid(origin, "both " + defaults.get(language) + " and " + m.image()
            + " are the default for " + language);
      }
      entries.add(new Entry(m.image().strip(), language,
          Optional.ofNullable(m.version()).map(String::strip).filter(v -> !v.isEmpty()), isDefault));
    }
    return new BuilderCatalogue(origin, List.copyOf(entries));
  }

  private static S2iException invalid(String origin, String why) {
    return new S2iException(FailureReason.INVALID_REQUEST, "the builders file " + origin + " is not a builder catalogue: "
        + why, "write it as 'builders:' followed by entries with image, language and optionally version and default: true");
  }
}
