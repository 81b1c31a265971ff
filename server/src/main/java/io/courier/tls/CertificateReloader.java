package io.courier.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one listener's certificate in step with its PEM files: every interval it hashes the files
 * and, when they changed, reads and checks them ({@link PemBundle}) and hands the new options to
 * every server of the listener ({@code updateSSLOptions}), which uses them for new handshakes while
 * open connections keep theirs. A file that does not read, parse or match leaves the running
 * certificate in place, and is reported once until it changes again.
 *
 * <p>Counted in {@code courier.tls.reloads} ({@code listener}, {@code outcome} = {@code reloaded}
 * or {@code failed}).
 *
 * @implNote Polling rather than a {@code WatchService}: certificate managers replace files by
 *     renaming a directory (Kubernetes secrets swap a symbolic link), which a watch on the file's
 *     directory does not see on every platform, while a hash every few seconds of two small files
 *     costs nothing and sees every kind of replacement.
 */
public final class CertificateReloader {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  /** Where a reloaded certificate goes: a server's {@code updateSSLOptions}. */
  @FunctionalInterface
  public interface Target {
    Future<Boolean> update(ServerSSLOptions options);
  }

  /** What one look at the files found. */
  public enum Outcome {
    UNCHANGED,
    RELOADED,
    FAILED
  }

  private final TlsSettings settings;
  private final long intervalMs;
  private final Counter reloaded;
  private final Counter failed;
  private final List<Target> targets = new CopyOnWriteArrayList<>();
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile PemBundle current;
  private volatile String lastFailed;
  private long timer = -1;

  private CertificateReloader(PemBundle loaded, Duration interval, MeterRegistry registry) {
    this.settings = loaded.settings();
    this.current = loaded;
    this.intervalMs = interval.toMillis();
    this.reloaded = counter(registry, "reloaded");
    this.failed = counter(registry, "failed");
  }

  /**
   * Reads the files of {@code settings} off the event loop; fails with a {@link TlsFileException}
   * when they cannot serve.
   *
   * @param interval how often to look at the files once a server is attached; zero: never
   */
  public static Future<CertificateReloader> load(
      Vertx vertx, TlsSettings settings, Duration interval, MeterRegistry registry) {
    return vertx
        .executeBlocking(() -> PemBundle.read(settings), false)
        .map(
            bundle -> {
              LOG.info("{}: TLS with {}", settings.listener(), bundle.describe());
              return new CertificateReloader(bundle, interval, registry);
            });
  }

  /** The certificate and key in use. */
  public PemBundle current() {
    return current;
  }

  /** The options for a new server of this listener. */
  public ServerSSLOptions sslOptions() {
    return ServerTls.sslOptions(current);
  }

  /** Reloads go to {@code target} too; the first target starts the look at the files. */
  public synchronized void attach(Vertx vertx, Target target) {
    targets.add(target);
    if (timer < 0 && intervalMs > 0) {
      timer = vertx.setPeriodic(intervalMs, id -> check(vertx));
    }
  }

  /** Reloads no longer go to {@code target}; the last one stops the look at the files. */
  public synchronized void detach(Vertx vertx, Target target) {
    targets.remove(target);
    if (targets.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * Looks at the files once: unchanged, or changed and loaded into every attached server, or
   * changed and refused (the running certificate stays). A look while another is under way is
   * {@link Outcome#UNCHANGED}.
   */
  public Future<Outcome> check(Vertx vertx) {
    if (!checking.compareAndSet(false, true)) {
      return Future.succeededFuture(Outcome.UNCHANGED);
    }
    return vertx
        .executeBlocking(this::readIfChanged, false)
        .compose(
            changed -> changed == null ? Future.succeededFuture(Outcome.UNCHANGED) : apply(changed))
        .recover(this::refused)
        .onComplete(done -> checking.set(false));
  }

  /**
   * The files as a bundle when they differ from those in use and from the last refused; else null.
   */
  private PemBundle readIfChanged() throws TlsFileException {
    String seen = PemBundle.fingerprintOf(settings);
    if (seen.equals(current.fingerprint()) || seen.equals(lastFailed)) {
      return null;
    }
    try {
      return PemBundle.read(settings);
    } catch (TlsFileException e) {
      lastFailed = seen;
      throw e;
    }
  }

  private Future<Outcome> apply(PemBundle bundle) {
    ServerSSLOptions options = ServerTls.sslOptions(bundle);
    return Future.all(targets.stream().map(target -> target.update(options)).toList())
        .transform(
            updated -> {
              if (updated.failed()) {
                lastFailed = bundle.fingerprint();
                return Future.failedFuture(updated.cause());
              }
              current = bundle;
              lastFailed = null;
              reloaded.increment();
              LOG.info("{}: TLS certificate reloaded: {}", settings.listener(), bundle.describe());
              return Future.succeededFuture(Outcome.RELOADED);
            });
  }

  private Future<Outcome> refused(Throwable failure) {
    failed.increment();
    LOG.warn(
        "{}: new TLS files refused, the certificate in use stays ({}): {}",
        settings.listener(),
        current.describe(),
        failure.getMessage());
    return Future.succeededFuture(Outcome.FAILED);
  }

  private Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("courier.tls.reloads")
        .description("looks at a listener's changed PEM files, by outcome")
        .tag("listener", settings.listener())
        .tag("outcome", outcome)
        .register(registry);
  }
}
