package io.courier.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.testkit.TestPki;
import io.courier.testkit.TestPki.Issued;
import io.courier.testkit.TestPki.PemPair;
import io.courier.tls.CertificateReloader.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload hands every attached server the new files once they changed, and a bad change keeps the
 * certificate in use, reported and counted once until the files change again.
 */
class CertificateReloaderTest {
  private static Vertx vertx;
  private static TestPki.Ca ca;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ca = TestPki.newCa("reload CA");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void changedFilesReachEveryServerAndBadOnesAreKeptOut(@TempDir Path dir) throws Exception {
    PemPair files = ca.server("first").write(dir, "gate");
    TlsSettings settings = TlsSettings.serverOnly("gate", files.cert(), files.key());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CertificateReloader reloader =
        CertificateReloader.load(vertx, settings, Duration.ZERO, registry).await();
    List<ServerSSLOptions> first = new ArrayList<>();
    List<ServerSSLOptions> second = new ArrayList<>();
    reloader.attach(vertx, options -> record(first, options));
    reloader.attach(vertx, options -> record(second, options));

    assertEquals(Outcome.UNCHANGED, reloader.check(vertx).await());

    Issued renewed = ca.server("second");
    renewed.write(dir, "gate");
    assertEquals(Outcome.RELOADED, reloader.check(vertx).await());
    assertEquals(renewed.certificate(), reloader.current().leaf());
    assertEquals(List.of(renewed.certificate()), leaves(first));
    assertEquals(List.of(renewed.certificate()), leaves(second));

    // the certificate is replaced, its key not yet: the pair does not match
    ca.server("third").write(dir, "next");
    Files.copy(
        dir.resolve("next.crt"), files.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(Outcome.FAILED, reloader.check(vertx).await());
    assertEquals(Outcome.UNCHANGED, reloader.check(vertx).await(), "reported once");
    assertEquals(renewed.certificate(), reloader.current().leaf());
    assertEquals(1, first.size());

    Files.copy(
        dir.resolve("next.key"), files.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(Outcome.RELOADED, reloader.check(vertx).await());
    assertEquals("CN=third", reloader.current().leaf().getSubjectX500Principal().getName());
    assertEquals(
        2,
        registry.counter("courier.tls.reloads", "listener", "gate", "outcome", "reloaded").count());
    assertEquals(
        1,
        registry.counter("courier.tls.reloads", "listener", "gate", "outcome", "failed").count());
  }

  @Test
  void aServerThatRefusesTheNewOptionsKeepsTheOldCertificate(@TempDir Path dir) throws Exception {
    PemPair files = ca.server("kept").write(dir, "http");
    CertificateReloader reloader =
        CertificateReloader.load(
                vertx,
                TlsSettings.serverOnly("http", files.cert(), files.key()),
                Duration.ZERO,
                new SimpleMeterRegistry())
            .await();
    X509Certificate kept = reloader.current().leaf();
    reloader.attach(vertx, options -> Future.failedFuture("refused"));
    ca.server("refused").write(dir, "http");
    assertEquals(Outcome.FAILED, reloader.check(vertx).await());
    assertEquals(kept, reloader.current().leaf());
    assertEquals(Outcome.UNCHANGED, reloader.check(vertx).await());
  }

  private static Future<Boolean> record(List<ServerSSLOptions> seen, ServerSSLOptions options) {
    seen.add(options);
    return Future.succeededFuture(true);
  }

  private static List<X509Certificate> leaves(List<ServerSSLOptions> seen) throws Exception {
    List<X509Certificate> leaves = new ArrayList<>();
    for (ServerSSLOptions options : seen) {
      PemKeyCertOptions pem = (PemKeyCertOptions) options.getKeyCertOptions();
      leaves.add(
          (X509Certificate)
              pem.loadKeyStore(null)
                  .getCertificate(
                      java.util.Collections.list(pem.loadKeyStore(null).aliases()).get(0)));
    }
    return leaves;
  }
}
