package io.s2i.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.s2i.service.model.InvalidInputException;
import io.s2i.service.model.ServiceJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Request bodies: read with a size limit (413 past it), and parsed as JSON or YAML by content type. */
final class Bodies {
  /** The largest JSON or YAML body accepted. */
  static final int MAX_BODY = 1024 * 1024;

  private Bodies() {}

  /** The body as text, at most {@link #MAX_BODY} bytes. */
  static String text(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BODY) {
      throw tooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > MAX_BODY) {
          throw tooLarge();
        }
        out.write(buf, 0, n);
      }
    }
    if (out.size() == 0) {
      throw new InvalidInputException("the request has no body");
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static InvalidInputException tooLarge() {
    return new InvalidInputException(413, "the body is larger than " + MAX_BODY + " bytes");
  }

  /** Whether the request says it sends YAML. */
  static boolean isYaml(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(Locale.ROOT).contains("yaml");
  }

  /** The mapper for the request's content type (JSON unless it says YAML). */
  static ObjectMapper mapper(Context ctx) {
    return isYaml(ctx) ? ServiceJson.yaml() : ServiceJson.json();
  }

  /** The body parsed into {@code type}, strictly. */
  static <T> T parse(Context ctx, Class<T> type) throws IOException {
    return ServiceJson.readInput(mapper(ctx), text(ctx), type);
  }
}
