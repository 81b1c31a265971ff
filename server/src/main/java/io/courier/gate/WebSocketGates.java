package io.courier.gate;

import io.courier.config.CourierConfig;
import io.courier.ops.Tracker;
import io.courier.presence.PresenceStore;
import io.courier.protocol.Wire;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

/**
 * The node's WebSocket gate: what its instances share (the node's sessions, admission, operators'
 * bans, meters). The public HTTP listener runs one instance per event loop, as the TCP gate does,
 * and each opens its own {@link WebSocketGate} with {@link #open}.
 */
public final class WebSocketGates {
  private final CourierConfig config;
  private final LocalSessions sessions;
  private final Admission admission;
  private final OperatorBans bans;
  private final PresenceStore presence;
  private final Tracker tracker;
  private final MeterRegistry registry;
  private final WebSocketMetrics metrics;
  private final OriginPolicy origins;
  private final ForwardedFor forwardedFor;

  public WebSocketGates(
      CourierConfig config,
      LocalSessions sessions,
      Admission admission,
      OperatorBans bans,
      PresenceStore presence,
      Tracker tracker,
      MeterRegistry registry) {
    this.config = config;
    this.sessions = sessions;
    this.admission = admission;
    this.bans = bans;
    this.presence = presence;
    this.tracker = tracker;
    this.registry = registry;
    this.metrics = new WebSocketMetrics(registry);
    this.origins = new OriginPolicy(config.wsAllowedOrigins());
    this.forwardedFor = new ForwardedFor(config.trustedProxies());
  }

  /** A gate instance for the HTTP listener running on {@code context}. */
  public WebSocketGate open(Vertx vertx, Context context) {
    Gate gate = Gate.of(config, sessions, presence, tracker, registry, vertx, context);
    return new WebSocketGate(
        vertx,
        gate,
        new Acceptor(gate, admission, bans),
        origins,
        forwardedFor,
        metrics,
        config.drainSeconds());
  }

  /**
   * {@code options} fitted to carry the gate: a WebSocket message, and each of its WebSocket
   * frames, may hold a whole protocol frame of the largest body (anything longer is closed by
   * Vert.x with status 1009), and compression is not offered.
   *
   * @implNote Without compression a PUSH costs no deflate state per connection (tens of KB each,
   *     per direction) and no CPU per message; bodies are small JSON, and TLS on the way is what
   *     protects them.
   */
  public HttpServerOptions fit(HttpServerOptions options) {
    int largest = Wire.HEADER_LENGTH + config.maxBodyBytes();
    return options
        .setMaxWebSocketFrameSize(Math.max(options.getMaxWebSocketFrameSize(), largest))
        .setMaxWebSocketMessageSize(largest)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }
}
