package io.s2i.service.http;

import io.javalin.http.Context;
import io.s2i.service.model.ServiceJson;
import java.util.Map;

/** JSON answers and the one-line error body {@code {"error": "..."}}. */
final class Answers {
  private Answers() {}

  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(ServiceJson.write(body));
  }

  static void error(Context ctx, int status, String reason) {
    json(ctx, status, Map.of("error", reason.replace('\n', ' ').strip()));
  }
}
