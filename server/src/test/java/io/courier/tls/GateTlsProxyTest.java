package io.courier.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.Command;
import io.courier.testkit.TestNode;
import io.courier.testkit.TestPki;
import io.courier.testkit.TestPki.PemPair;
import io.courier.testkit.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS gate behind a load balancer that sends the PROXY protocol: the header comes first, in
 * clear, then the client's TLS handshake, as balancers that pass TLS through send them.
 */
class GateTlsProxyTest {
  @Test
  void theProxyHeaderComesBeforeTheHandshake(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TestPki.Ca ca = TestPki.newCa("proxy CA");
      PemPair files = ca.server("gate").write(dir, "gate");
      TestNode node =
          TestNode.start(
              vertx,
              new JsonObject()
                  .put(
                      "gate",
                      new JsonObject()
                          .put("proxyProtocol", "on")
                          .put("tlsCert", files.cert().toString())
                          .put("tlsKey", files.key().toString())));
      Socket plain = TlsProbe.plain(node.gatePort());
      plain
          .getOutputStream()
          .write("PROXY TCP4 203.0.113.7 127.0.0.1 50000 9000\r\n".getBytes(US_ASCII));
      String uid = "proxied-tls-" + System.nanoTime();
      try (SSLSocket tls = TlsProbe.tls(plain, ca.certificate(), null)) {
        tls.getOutputStream()
            .write(
                TlsProbe.frame(
                    Command.LOGIN.code(),
                    1,
                    new JsonObject()
                        .put("uid", uid)
                        .put("appcode", 101)
                        .put("token", new Tokens(vertx).valid(uid, 101))));
        assertEquals(0, TlsProbe.readFrame(tls.getInputStream()).getInteger("code"));
      }
      node.stop();
    } finally {
      vertx.close().await();
    }
  }
}
