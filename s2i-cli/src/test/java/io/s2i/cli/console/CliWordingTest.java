package io.s2i.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.s2i.api.BuildRequest;
import io.s2i.api.InvalidBuildRequestException;
import io.s2i.api.ScriptsSpec;
import io.s2i.api.SourceSpec;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The library names request fields; the CLI's messages still name its flags, word for word as before. */
class CliWordingTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      give source.contextDir as a path inside the source | give --context-dir as a path inside the source
      source.ref main is ignored: /x is copied as it is (source.forceCopy) | --ref main is ignored: /x is copied as it is (--copy)
      repair the repository, or build the files as they are with source.forceCopy | repair the repository, or build the files as they are with --copy
      give source.ref a branch, tag or commit that exists in the repository | give --ref a branch, tag or commit that exists in the repository
      or build without them (source.ignoreSubmodules) | or build without them (--ignore-submodules)
      check that scripts.scriptsUrl points at a directory holding the s2i scripts | check that --scripts-url points at a directory holding the s2i scripts
      pass an allowed run.assembleUser, or widen run.allowedUids | pass an allowed --assemble-user, or widen --allowed-uids
      give run.injections an existing file or directory on this machine | give --inject an existing file or directory on this machine
      give dockerfilePath a path in a writable directory | give --as-dockerfile a path in a writable directory
      fix the runtime.artifacts value or the image label | fix the -a value or the image label
      give runtime.artifacts src[:dst] for each file to copy into the runtime image | pass -a/--runtime-artifact src[:dst] for each file to copy into the runtime image
      source.excludePattern is not a valid regular expression: x | --exclude is not a valid regular expression: x
      Image a:1 is up to date: it was built from the same inputs (turn outputOptions.reuseUnchanged off to build it again) | Image a:1 is up to date: it was built from the same inputs (use --no-cache to build it again)
      check runtime.image and runtime.pullPolicy | check the --runtime-image name and --runtime-pull-policy
      the destination /x does not exist in the builder image: pass an existing directory with scripts.destination | the destination /x does not exist in the builder image: pass an existing directory with --destination
      Commit them, or set source.forceCopy to build the directory as it is | Commit them, or pass --copy to build the directory as it is
      give source.location an existing directory or a git URL | pass an existing directory or a git URL as the first argument
      name them with runtime.artifacts /path/in/builder[:dir/in/runtime] | name them with -a /path/in/builder[:dir/in/runtime]
      set tag to the output image name | give the output tag as the third argument
      """)
  void fieldNamesBecomeFlags(String library, String cli) {
    assertThat(CliWording.reword(library)).isEqualTo(cli);
  }

  @Test
  void requestViolationsReadAsTheyAlwaysDid() {
    InvalidBuildRequestException e = violation(BuildRequest.builder(SourceSpec.local(""), null)
        .callbackUrl(URI.create("ftp://x"))
        .scripts(new ScriptsSpec(Optional.of("s3://b"), Optional.empty(), Optional.empty())));
    assertThat(CliWording.reword(e.getMessage())).isEqualTo(
        "no source given: pass a directory or git URL as the first argument; "
            + "no builder image given: pass it as the second argument; "
            + "--callback-url must be an http:// or https:// URL, got \"ftp://x\"; "
            + "--scripts-url \"s3://b\" has an unknown scheme: use image://, file://, http:// or https://");
  }

  @Test
  void fieldNamesInsidePathsOrWordsAreLeftAlone() {
    String text = "source directory /home/me/source.ref/app and xcallbackUrl and callbackUrls do not exist";
    assertThat(CliWording.reword(text)).isEqualTo(text);
    assertThat(CliWording.reword(null)).isNull();
  }

  @Test
  void outputParseErrorNamesTheFlag() {
    try {
      io.s2i.api.OutputTarget.parse("oci:dir", true);
    } catch (IllegalArgumentException e) {
      assertThat(CliWording.reword(e.getMessage()))
          .isEqualTo("--push needs a registry image name, not the file output \"oci:dir\"");
      return;
    }
    throw new AssertionError("expected a refusal");
  }

  private static InvalidBuildRequestException violation(BuildRequest.Builder b) {
    try {
      b.build();
    } catch (InvalidBuildRequestException e) {
      return e;
    }
    throw new AssertionError("expected a violation");
  }

}
