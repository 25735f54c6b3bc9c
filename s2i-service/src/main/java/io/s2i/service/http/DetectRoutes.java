package io.s2i.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.detect.SourceDetection;
import io.s2i.service.model.ConfigRules;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.ServiceJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/detect}: the detection preview, before a configuration exists. The body is
 * either JSON {@code {"git": {"uri": "...", "ref": "..."}}}, or the upload itself (any other
 * content type) with {@code ?as=archive} (tar, tar.gz or zip) or {@code ?as=file&name=app.jar}.
 * The input is checked here, then {@link SourceDetection} answers (see there for the shape); an
 * upload is removed afterwards whatever happened.
 */
final class DetectRoutes {
  private final BuildService service;
  private final SourceDetection detection;

  DetectRoutes(BuildService service, SourceDetection detection) {
    this.service = service;
    this.detection = detection;
  }

  void register(Javalin app) {
    app.post("/api/v1/detect", this::detect);
  }

  private void detect(Context ctx) throws Exception {
    String type = String.valueOf(ctx.contentType());
    if (type.startsWith("application/json")) {
      JsonNode body = ServiceJson.readInput(ServiceJson.json(), Bodies.text(ctx), JsonNode.class);
      String uri = body.path("git").path("uri").asText("").strip();
      if (uri.isEmpty()) {
        throw new InvalidInputException("git.uri is missing: give the repository's URL (or upload an archive)");
      }
      if (uri.startsWith("-") || uri.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidInputException("git.uri is not a repository URL");
      }
      String ref = body.path("git").path("ref").asText("").strip();
      Answers.json(ctx, 200, detection.detect(new SourceDetection.Input(Optional.of(uri),
          ref.isEmpty() ? Optional.empty() : Optional.of(ref), Optional.empty(), "archive", Optional.empty())));
      return;
    }
    String kind = Optional.ofNullable(ctx.queryParam("as")).orElse("archive");
    if (!List.of("archive", "file").contains(kind)) {
      throw new InvalidInputException("as=" + kind + " is not one of archive, file");
    }
    String name = ctx.queryParam("name");
    if (kind.equals("file")) {
      if (name == null) {
        throw new InvalidInputException("as=file needs name=FILE (the uploaded file's name)");
      }
      ConfigRules.checkUploadName(name);
    }
    Path upload = service.receiveUpload(ctx.req().getInputStream());
    try {
      if (Files.size(upload) == 0) {
        throw new InvalidInputException("the upload is empty");
      }
      Answers.json(ctx, 200, detection.detect(new SourceDetection.Input(Optional.empty(), Optional.empty(),
          Optional.of(upload), kind, Optional.ofNullable(name))));
    } finally {
      service.discardUpload(upload);
    }
  }
}
