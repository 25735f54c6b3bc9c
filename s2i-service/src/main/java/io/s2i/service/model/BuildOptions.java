package io.s2i.service.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a start-build asked for beyond its configuration (OpenShift's BuildRequest).
 *
 * @param env variables added to (or replacing) the configuration's
 * @param commit the commit (or ref) to build instead of the configuration's ref
 * @param incremental overrides the strategy's incremental setting
 * @param noCache build even when the image of the tag was built from the same inputs
 * @param binary the uploaded input, for binary builds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildOptions(List<EnvEntry> env, String commit, Boolean incremental, Boolean noCache,
    BinaryInput binary) {

  /** No options. */
  public static BuildOptions none() {
    return new BuildOptions(List.of(), null, null, null, null);
  }

  /** These options with the binary input set. */
  public BuildOptions withBinary(BinaryInput input) {
    return new BuildOptions(env, commit, incremental, noCache, input);
  }

  /** Secret env values masked, for answers. */
  public BuildOptions masked() {
    return new BuildOptions(env == null ? null : env.stream().map(EnvEntry::masked).toList(),
        commit, incremental, noCache, binary);
  }

  /**
   * An uploaded input.
   *
   * @param kind {@code file}, {@code archive}, {@code dir} or {@code repo}
   * @param fileName the file's name, for {@code file} (and the archive's, for information)
   * @param size bytes received
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BinaryInput(String kind, String fileName, long size) {}
}
