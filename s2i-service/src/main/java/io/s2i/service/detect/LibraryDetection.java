package io.s2i.service.detect;

import io.s2i.S2i;
import io.s2i.api.BinaryInput;
import io.s2i.api.DetectOptions;
import io.s2i.api.Detection;
import io.s2i.api.EventSink;
import io.s2i.api.S2iException;
import io.s2i.api.SourceSpec;
import io.s2i.service.model.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The preview's detection by the library ({@code S2i.detect}), on the server's builder catalogue
 * ({@code serve --builders}, else the one shipped with s2i), as its builds detect; the engine's
 * images are not listed: the preview runs in the API's thread, with no engine of its own. A source the
 * library cannot read (an unreachable repository, a hostile archive) is a 400 with its one-line
 * message and fix. The answer is {@link Detection} as JSON, each {@code Optional} as its value or
 * null (the shape {@link SourceDetection} documents).
 */
public final class LibraryDetection implements SourceDetection {
  private final Optional<java.nio.file.Path> catalogue;

  /** Detection on the shipped builder catalogue. */
  public LibraryDetection() {
    this(Optional.empty());
  }

  /** Detection on {@code catalogue} (the server's {@code --builders}), else the shipped one. */
  public LibraryDetection(Optional<java.nio.file.Path> catalogue) {
    this.catalogue = catalogue;
  }

  @Override
  public Object detect(Input input) {
    SourceSpec spec;
    if (input.gitUri().isPresent()) {
      spec = new SourceSpec(input.gitUri().get(), input.gitRef(), Optional.empty(), false, false,
          SourceSpec.DEFAULT_EXCLUDE, false);
    } else {
      String upload = input.upload().orElseThrow().toString();
      spec = SourceSpec.local(upload).withBinary(input.uploadKind().equals("file")
          ? new BinaryInput(input.fileName(), BinaryInput.Archive.NEVER, null)
          : new BinaryInput(Optional.empty(), BinaryInput.Archive.ALWAYS, null));
    }
    try {
      return answer(S2i.detect(spec, new DetectOptions(catalogue, false, Optional.empty()), EventSink.discard()));
    } catch (S2iException e) {
      throw new InvalidInputException(e.getMessage() + e.suggestion().map(f -> ". Fix: " + f).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(String.valueOf(e.getMessage()));
    }
  }

  static Map<String, Object> answer(Detection d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", d.source());
    out.put("input", d.input());
    out.put("strategy", d.strategy());
    out.put("languages", d.languages().stream().map(l -> map("language", l.language(), "marker", l.marker(),
        "version", l.version().orElse(null), "versionSource", l.versionSource().orElse(null),
        "versionConstraint", l.versionConstraint().orElse(null))).toList());
    out.put("dockerfile", d.dockerfile().map(f -> map("file", f.file(), "from", f.from().orElse(null))).orElse(null));
    out.put("builder", d.builder().map(b -> map("image", b.image(), "language", b.language(), "reason", b.reason(),
        "candidate", candidate(b.candidate()), "others", b.others().stream().map(LibraryDetection::candidate).toList()))
        .orElse(null));
    out.put("problem", d.problem().map(p -> map("message", p.message(), "fix", p.fix(),
        "candidates", p.candidates().stream().map(LibraryDetection::candidate).toList())).orElse(null));
    out.put("markers", d.markers());
    return out;
  }

  private static Map<String, Object> candidate(Detection.BuilderCandidate c) {
    return map("image", c.image(), "language", c.language(), "version", c.version().orElse(null),
        "origin", c.origin(), "match", c.match());
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
