package io.s2i.internal.contract;

/** Fixed paths of the contract inside build containers. */
public final class ContractPaths {
  private ContractPaths() {}

  /** Where inputs are unpacked unless the image or the user says otherwise. */
  public static final String DEFAULT_DESTINATION = "/tmp";

  /** Scripts can ask for extra labels by writing this file (fixed path, whatever the destination). */
  public static final String IMAGE_METADATA_FILE = "/tmp/.s2i/image_metadata.json";

  /** The scheme of scripts that already live inside the image. */
  public static final String IMAGE_SCHEME = "image://";

  /** Sub-directories of the destination. */
  public static final String SRC_DIR = "src";

  public static final String SCRIPTS_DIR = "scripts";
  public static final String ARTIFACTS_DIR = "artifacts";

  /** Sources' own contract files. */
  public static final String SOURCE_SCRIPTS_DIR = ".s2i/bin";

  public static final String LEGACY_SOURCE_SCRIPTS_DIR = ".sti/bin";
  public static final String SOURCE_ENVIRONMENT_FILE = ".s2i/environment";
  public static final String IGNORE_FILE = ".s2iignore";
}
