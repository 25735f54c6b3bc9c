package io.s2i.internal.contract;

/** Label keys of the builder-image contract. Only this package names them. */
public final class S2iLabels {
  private S2iLabels() {}

  public static final String NAMESPACE = "io.openshift.s2i.";
  public static final String SCRIPTS_URL = NAMESPACE + "scripts-url";
  public static final String DESTINATION = NAMESPACE + "destination";
  public static final String ASSEMBLE_USER = NAMESPACE + "assemble-user";
  public static final String ASSEMBLE_INPUT_FILES = NAMESPACE + "assemble-input-files";
  public static final String ASSEMBLE_RUNTIME_USER = NAMESPACE + "assemble-runtime-user";

  /** Deprecated spellings that upstream still honours, with a warning. */
  public static final String LEGACY_SCRIPTS_URL = "io.s2i.scripts-url";
  public static final String LEGACY_DESTINATION = "io.s2i.destination";
  public static final String LEGACY_SCRIPTS_URL_ENV = "STI_SCRIPTS_URL";
  public static final String LEGACY_DESTINATION_ENV = "STI_LOCATION";

  public static final String DISPLAY_NAME = "io.k8s.display-name";
  public static final String DESCRIPTION = "io.k8s.description";

  /** Suffixes of the generated {@code build.*} labels, after the namespace. */
  public static final String BUILD_IMAGE = "build.image";
  public static final String BUILD_COMMIT_AUTHOR = "build.commit.author";
  public static final String BUILD_COMMIT_DATE = "build.commit.date";
  public static final String BUILD_COMMIT_ID = "build.commit.id";
  public static final String BUILD_COMMIT_REF = "build.commit.ref";
  public static final String BUILD_COMMIT_MESSAGE = "build.commit.message";
  public static final String BUILD_SOURCE_LOCATION = "build.source-location";
  public static final String BUILD_SOURCE_CONTEXT_DIR = "build.source-context-dir";

  /**
   * Ours, not upstream's: on the output of an incremental extended build, the id of the committed
   * builder container whose save-artifacts the next incremental build runs.
   */
  public static final String ARTIFACTS_IMAGE = "io.s2i.build.artifacts-image";

  /**
   * Ours, not upstream's: on the output of an extended build, the runtime image as it was named,
   * the {@code --runtime-artifact} mappings given ({@code src:dst;...}) and the
   * {@code --assemble-runtime-user} given, so that {@code s2i rebuild} builds it extended again.
   */
  public static final String RUNTIME_IMAGE = "io.s2i.build.runtime-image";
  public static final String RUNTIME_ARTIFACTS = "io.s2i.build.runtime-artifacts";
  public static final String RUNTIME_USER = "io.s2i.build.assemble-runtime-user";

  /**
   * Ours, not upstream's: the digest of every input of the build that made the image; a build
   * with the same digest reuses the image.
   */
  public static final String INPUTS_DIGEST = "io.s2i.build.inputs-digest";
  /** OCI annotation keys written beside upstream's labels (not read from builder images). */
  public static final String OCI_SOURCE = "org.opencontainers.image.source";
  public static final String OCI_REVISION = "org.opencontainers.image.revision";
  public static final String OCI_CREATED = "org.opencontainers.image.created";

  /**
   * A builder image's tags, OpenShift's way: a comma list in which {@code builder} marks a builder
   * and the other words name what it builds ({@code builder,python,python311}); s2i also reads
   * {@code language:version} words ({@code java-binary:17}), as image streams' {@code supports}.
   */
  public static final String OPENSHIFT_TAGS = "io.openshift.tags";
  /** KubeSphere's spelling of the same ({@code builder,binary} on its binary builder). */
  public static final String KUBESPHERE_TAGS = "io.kubesphere.tags";

  /** Ours: on an image built with a detected builder, the language detection chose it for. */
  public static final String DETECTED_LANGUAGE = "io.s2i.detect.language";
  /** Ours: the language version the source asked for, when it named one. */
  public static final String DETECTED_VERSION = "io.s2i.detect.language-version";
  /** Ours: the file that proved the language. */
  public static final String DETECTED_MARKER = "io.s2i.detect.marker";
  /** Ours: the builder image detection chose. */
  public static final String DETECTED_BUILDER = "io.s2i.detect.builder";
  /** Ours: why that builder was chosen. */
  public static final String DETECTED_REASON = "io.s2i.detect.reason";

  /** Upstream refuses label sets larger than this many bytes of keys and values. */
  public static final int MAX_LABEL_BYTES = 10240;
}
