package io.s2i.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.BuildService;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.store.InputTokens;
import io.s2i.service.store.StoredBuild;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /executor/v1/builds/{build}/input}: a build's binary input for the pod of its
 * Kubernetes Job, with the one-time token the server issued for it ({@code Authorization: Bearer}).
 * Outside {@code /api/}, so the API's token is neither needed nor accepted here: the build's own
 * token is, once, and only while the build runs. A request that reaches a server not holding the
 * upload is told which one does, before the token is used.
 */
public final class InputRoutes {
  /** The path prefix of these routes. */
  public static final String PREFIX = "/executor/v1/builds/";
  private final BuildService service;
  private final InputTokens tokens;
  private final String replicaId;

  /** Routes serving the uploads this server ({@code replicaId}) holds. */
  public InputRoutes(BuildService service, InputTokens tokens, String replicaId) {
    this.service = service;
    this.tokens = tokens;
    this.replicaId = replicaId;
  }

  /** Adds the routes. */
  public void register(Javalin app) {
    app.get(PREFIX + "{build}/input", this::input);
  }

  private void input(Context ctx) throws Exception {
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    if (token == null || token.isEmpty()) {
      throw new InvalidInputException(401, "no input token: send Authorization: Bearer TOKEN (the token the"
          + " server gave the build's Job)");
    }
    StoredBuild b = service.storedBuild(ctx.pathParam("build"));
    InputTokens.Use state = tokens.check(b.id(), token);
    if (state != InputTokens.Use.GRANTED) {
      throw refused(b, state);
    }
    if (b.build().phase().isTerminal()) {
      throw new InvalidInputException(409, "build " + b.build().name() + " has ended (" + b.build().phase() + ")");
    }
    if (b.uploadPath() == null || b.uploadReplica() == null) {
      throw new InvalidInputException(404, "build " + b.build().name() + " has no binary input");
    }
    if (!b.uploadReplica().equals(replicaId)) {
      throw new InvalidInputException(421, "the input of build " + b.build().name() + " is held by server "
          + b.uploadReplica() + ", not " + replicaId + ": fetch it from that server's own address");
    }
    Path file = Path.of(b.uploadPath());
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(410, "the input of build " + b.build().name() + " is gone");
    }
    InputTokens.Use used = tokens.consume(b.id(), token);
    if (used != InputTokens.Use.GRANTED) {
      throw refused(b, used);
    }
    ctx.status(200);
    ctx.res().setContentType("application/octet-stream");
    ctx.res().setContentLengthLong(Files.size(file));
    ctx.res().setHeader("Cache-Control", "no-store");
    try (InputStream in = Files.newInputStream(file); OutputStream out = ctx.res().getOutputStream()) {
      in.transferTo(out);
    }
  }

  private static InvalidInputException refused(StoredBuild b, InputTokens.Use state) {
    return switch (state) {
      case USED -> new InvalidInputException(410, "the input token of build " + b.build().name()
          + " has been used: an input is served once");
      case EXPIRED -> new InvalidInputException(410, "the input token of build " + b.build().name() + " has expired");
      default -> new InvalidInputException(401, "the input token is not valid for build " + b.build().name());
    };
  }
}
