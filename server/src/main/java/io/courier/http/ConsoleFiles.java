package io.courier.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The support console ({@code docs/web.md}): static files from the jar's {@code webroot/console},
 * with the JavaScript client ({@code clients/js/src}) under {@code /console/lib/}.
 *
 * <p>Its pages get a Content-Security-Policy that allows scripts, styles and connections only from
 * the node itself and images from anywhere over http(s) (rich-text {@code <img>}): even a bug in
 * the console's rendering of message content could not run a script.
 */
final class ConsoleFiles {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' http: https: data:;"
          + " connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private ConsoleFiles() {}

  static void route(Router router) {
    router
        .get("/console/*")
        .handler(
            request -> {
              request
                  .response()
                  .putHeader("Content-Security-Policy", CSP)
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              request.next();
            })
        .handler(StaticHandler.create("webroot/console").setCachingEnabled(false));
  }
}
