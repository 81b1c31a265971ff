package io.courier;

import io.courier.config.ConfigException;
import io.courier.config.CourierConfig;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Adapts Vert.x's launcher to Courier: applies the environment over the {@code -conf} JSON and validates
 * it before Vert.x starts, prefers the native transport, and deploys a {@link NodeVerticle} with one gate
 * instance per event loop.
 *
 * <p>The launcher turns an exception thrown by a hook into exit code 1 without printing it, so invalid
 * configuration is printed here first. It also only warns about a {@code -conf} that is neither a JSON
 * file nor a JSON object and goes on with no configuration; Courier refuses to start instead.
 */
final class CourierHooks implements VertxApplicationHooks {
  private final boolean confGiven;
  private final Map<String, String> env;
  private final PrintStream err;
  private int eventLoops;

  CourierHooks(String[] args, Map<String, String> env, PrintStream err) {
    this.confGiven = Arrays.stream(args).anyMatch(CourierHooks::isConfOption);
    this.env = env;
    this.err = err;
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject conf) {
    try {
      if (conf == null && confGiven) {
        throw new ConfigException("invalid configuration: -conf is neither a readable JSON file nor a JSON object");
      }
      return CourierConfig.from(conf, env).toJson();
    } catch (ConfigException e) {
      err.println("courier: " + e.getMessage());
      throw e;
    }
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setPreferNativeTransport(true);
    eventLoops = context.vertxOptions().getEventLoopPoolSize();
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new NodeVerticle(eventLoops);
  }

  private static boolean isConfOption(String arg) {
    String lower = arg.toLowerCase();
    return lower.equals("-conf") || lower.equals("--conf") || lower.startsWith("-conf=") || lower.startsWith("--conf=");
  }
}
