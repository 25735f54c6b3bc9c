package io.s2i.internal.contract;

/** The scripts of the builder-image contract, by their file names. */
public enum ScriptName {
  ASSEMBLE("assemble"),
  RUN("run"),
  SAVE_ARTIFACTS("save-artifacts"),
  USAGE("usage"),
  ASSEMBLE_RUNTIME("assemble-runtime");

  private final String fileName;

  ScriptName(String fileName) {
    this.fileName = fileName;
  }

  /** The script's file name, such as {@code save-artifacts}. */
  public String fileName() {
    return fileName;
  }

  @Override
  public String toString() {
    return fileName;
  }
}
