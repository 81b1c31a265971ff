package io.courier;

import io.courier.cluster.HazelcastSetup;
import io.courier.config.ConfigException;
import io.courier.config.CourierConfig;
import io.courier.config.DevelopmentMode;
import io.courier.tls.EventBusTls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Adapts Vert.x's launcher to Courier: applies the environment over the {@code -conf} JSON and
 * validates it before Vert.x starts, prefers the native transport, and deploys a {@link
 * NodeVerticle} with one gate instance per event loop.
 *
 * <p>The launcher turns an exception thrown by a hook into exit code 1 without printing it, so
 * invalid configuration is printed here first. It also only warns about a {@code -conf} that is
 * neither a JSON file nor a JSON object and goes on with no configuration; Courier refuses to start
 * instead.
 */
final class CourierHooks implements VertxApplicationHooks {
  private final boolean confGiven;
  private final Map<String, String> env;
  private final PrintStream err;
  private int eventLoops;
  private CourierConfig config;
  private HazelcastClusterManager clusterManager;

  /** Vert.x's meters and Courier's, scraped at GET /metrics. */
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  CourierHooks(String[] args, Map<String, String> env, PrintStream err) {
    this.confGiven = Arrays.stream(args).anyMatch(CourierHooks::isConfOption);
    this.env = env;
    this.err = err;
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject conf) {
    try {
      if (conf == null && confGiven) {
        throw new ConfigException(
            "invalid configuration: -conf is neither a readable JSON file nor a JSON object");
      }
      config = CourierConfig.from(conf, env);
      return config.toJson();
    } catch (ConfigException e) {
      err.println("courier: " + e.getMessage());
      throw e;
    }
  }

  /**
   * The Hazelcast cluster manager from Courier's configuration; Vert.x uses it only with {@code
   * -cluster}.
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    try {
      clusterManager = HazelcastSetup.clusterManager(config);
    } catch (ConfigException e) {
      err.println("courier: " + e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      err.println("courier: the cluster configuration (cluster.xml) could not be loaded: " + e);
      throw e;
    }
    return Vertx.builder()
        .with(options)
        .withClusterManager(clusterManager)
        .withMetrics(new MicrometerMetricsFactory(registry));
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    VertxOptions options = context.vertxOptions();
    options.setPreferNativeTransport(true);
    // Event-bus meters are left out: a meter lookup per message and address cost 11 % of an s2c
    // run, and
    // Courier's own delivery meters say more about messages
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    EventBusOptions eventBus = options.getEventBusOptions();
    if (config.clusterHost() != null
        && Objects.equals(EventBusOptions.DEFAULT_CLUSTER_HOST, eventBus.getHost())) {
      eventBus.setHost(config.clusterHost());
    }
    if (config.developmentMode().active()
        && eventBus.getHost() != null
        && !DevelopmentMode.isLoopback(eventBus.getHost())) {
      String problem =
          "invalid configuration: -cluster-host "
              + eventBus.getHost()
              + " is not a loopback address, while "
              + config.developmentMode().publishedSecrets()
              + " use a published development secret: configure real secrets to listen on other"
              + " interfaces";
      err.println("courier: " + problem);
      throw new ConfigException(problem);
    }
    if (config.clusterTls() != null) {
      EventBusTls.enable(eventBus, config.clusterTls());
    }
    eventLoops = options.getEventLoopPoolSize();
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new NodeVerticle(eventLoops, clusterManager, registry);
  }

  private static boolean isConfOption(String arg) {
    String lower = arg.toLowerCase();
    return lower.equals("-conf")
        || lower.equals("--conf")
        || lower.startsWith("-conf=")
        || lower.startsWith("--conf=");
  }
}
