package io.s2i.service.detect;

import io.s2i.service.model.InvalidInputException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Detection for the service's preview ({@code POST /api/v1/detect}): what language a source is
 * in, which version it asks for, the files that prove it, and the builder it would be built with.
 * The library's {@code S2i.detect} does the work ({@link LibraryDetection}); this interface is the
 * seam the route calls through.
 *
 * <p>The answer is a JSON object mirroring the library's {@code io.s2i.api.Detection}, with each
 * {@code Optional} written as the value or {@code null}:
 * <pre>
 * {"source": "...", "input": "GIT|ARCHIVE|FILE|DIRECTORY", "strategy": "SOURCE|DOCKER",
 *  "languages": [{"language": "python", "marker": "requirements.txt", "version": "3.11",
 *                 "versionSource": ".python-version", "versionConstraint": "3.11"}],
 *  "dockerfile": {"file": "Dockerfile", "from": "..."} | null,
 *  "builder": {"image": "...", "language": "python", "reason": "...",
 *              "candidate": {...}, "others": [{"image": "...", "language": "...", "version": "...",
 *                                              "origin": "engine|FILE", "match": "EXACT_VERSION|..."}]} | null,
 *  "problem": {"message": "...", "fix": "...", "candidates": [...]} | null,
 *  "markers": ["python: requirements.txt, setup.py, ..."]}
 * </pre>
 */
public interface SourceDetection {

  /**
   * What to detect: a git repository, or an upload already on disk.
   *
   * @param gitUri the repository, for a git source
   * @param gitRef the branch, tag or commit; empty for the default branch
   * @param upload the uploaded file or archive, for an upload
   * @param uploadKind {@code archive} (tar, tar.gz, zip: its content is the source) or {@code file}
   *     (a single file such as a jar, built as it is)
   * @param fileName the uploaded file's name, for {@code file}
   */
  record Input(Optional<String> gitUri, Optional<String> gitRef, Optional<Path> upload, String uploadKind,
      Optional<String> fileName) {}

  /**
   * Detects; the answer is serialised as JSON as it is.
   *
   * @throws InvalidInputException with a 4xx for input it cannot read
   */
  Object detect(Input input);
}
