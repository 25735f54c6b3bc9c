package io.s2i.service.http;

import io.javalin.Javalin;
import io.s2i.service.BuildService;
import io.s2i.service.model.Build;
import io.s2i.service.model.BuildOptions;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.TriggerCause;
import io.s2i.service.store.StoredBuild;
import java.util.Map;

/**
 * {@code POST /api/v1/builds/NAME/clone} (OpenShift's name for {@code oc start-build --from-build}):
 * runs a build again with the options it had (env overrides, secret ones included, incremental,
 * no-cache) at the commit it built. A build of an upload cannot be re-run: uploads are removed
 * when their build ends, so the answer is a 409 that says to upload again.
 */
final class RerunRoutes {
  private final BuildService service;

  RerunRoutes(BuildService service) {
    this.service = service;
  }

  void register(Javalin app) {
    app.post("/api/v1/builds/{build}/clone", ctx -> {
      StoredBuild old = service.storedBuild(ctx.pathParam("build"));
      Build b = old.build();
      BuildOptions o = b.options() == null ? BuildOptions.none() : b.options();
      if (o.binary() != null) {
        throw new InvalidInputException(409, "build " + b.name() + " built an upload, and uploads are not kept"
            + " after their build: start a new build with the input uploaded again");
      }
      String commit = b.revision() != null && b.revision().commit() != null ? b.revision().commit() : o.commit();
      TriggerCause cause = new TriggerCause("Manual", "Manually triggered (re-run of " + b.name() + ")",
          Map.of("cloneOf", b.name()));
      Build again = service.start(b.config(), new BuildOptions(o.env(), commit, o.incremental(), o.noCache(), null),
          cause, null);
      Answers.json(ctx, 201, again);
    });
  }
}
