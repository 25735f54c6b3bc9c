package io.s2i.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.ServiceJson;
import io.s2i.service.triggers.service.ImageTriggers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image-change checks on demand, with the API token:
 * <ul>
 *   <li>{@code POST /api/v1/imagechange}: check now, and rebuild every configuration following
 *       an image that changed. The body names what to check: {@code {"image": "REF"}} (as
 *       configurations name it), {@code {"repository": "HOST/PATH"}} (every followed tag of it),
 *       a registry's push notification ({@code {"events": [{"action": "push", "target":
 *       {"repository": ...}, "request": {"host": ...}}]}}, as Docker's registry sends them), or
 *       nothing (every followed image). The answer lists the changes found and the builds started.
 *   <li>{@code GET /api/v1/imagechange}: the followed images, the id each is known to have, and
 *       who follows it.
 * </ul>
 */
final class ImageChangeRoutes {
  private final ImageTriggers images;

  ImageChangeRoutes(ImageTriggers images) {
    this.images = images;
  }

  void register(Javalin app) {
    app.get("/api/v1/imagechange", ctx -> Answers.json(ctx, 200, Map.of("followed", images.status())));
    app.post("/api/v1/imagechange", this::check);
  }

  private void check(Context ctx) throws Exception {
    JsonNode body = ctx.req().getContentLengthLong() == 0 ? null : parse(Bodies.text(ctx));
    List<ImageTriggers.Checked> results = new ArrayList<>();
    if (body == null || body.isEmpty()) {
      results.add(images.check(Optional.empty(), Optional.empty()));
    } else if (body.hasNonNull("image")) {
      results.add(images.check(Optional.of(body.get("image").asText()), Optional.empty()));
    } else if (body.hasNonNull("repository")) {
      results.add(images.check(Optional.empty(), Optional.of(body.get("repository").asText())));
    } else if (body.path("events").isArray()) {
      for (JsonNode event : body.get("events")) {
        String repository = event.path("target").path("repository").asText("");
        String host = event.path("request").path("host").asText("");
        if (event.path("action").asText("").equals("push") && !repository.isEmpty()) {
          results.add(images.check(Optional.empty(), Optional.of(host.isEmpty() ? repository : host + "/" + repository)));
        }
      }
    } else {
      throw new InvalidInputException("the body names nothing to check: send {\"image\": REF}, {\"repository\":"
          + " HOST/PATH}, a registry notification ({\"events\": [...]}) or nothing (every followed image)");
    }
    List<Map<String, Object>> changes = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    for (ImageTriggers.Checked r : results) {
      changes.addAll(r.changes());
      r.followed().stream().filter(i -> !checked.contains(i)).forEach(checked::add);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("checked", checked);
    answer.put("changes", changes);
    Answers.json(ctx, 200, answer);
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = ServiceJson.json().readTree(text);
      if (node != null && !node.isObject()) {
        throw new InvalidInputException("the body must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException(ServiceJson.describe(e));
    }
  }
}
