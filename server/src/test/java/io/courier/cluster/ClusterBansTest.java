package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.client.CourierConnection;
import io.courier.client.ServerFrame;
import io.courier.protocol.Command;
import io.courier.testkit.TestSession;
import io.courier.testkit.Tokens;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two clustered nodes in one JVM: a ban placed, or a token revoked, through one node's admin
 * listener holds on the other's gate, which learns it from the cluster's shared map on the change
 * notice.
 */
class ClusterBansTest {
  private static final String DATABASE = "courier_cluster_bans_test";
  private static final int APPCODE = 101;

  @RegisterExtension
  static final ClusterSide cluster = new ClusterSide("courier-bans", DATABASE, 2);

  private static HttpClient http;

  @BeforeAll
  static void httpClient() {
    http = cluster.vertx().createHttpClient();
  }

  @Test
  void aUidBannedThroughNodeAIsKickedFromNodeBAndRefusedThereUntilLifted() {
    String uid = "x-banned-" + UUID.randomUUID().toString().substring(0, 8);
    ClusterNode a = cluster.nodes().get(0);
    ClusterNode b = cluster.nodes().get(1);
    TestSession session =
        TestSession.login(cluster.client(), b.gatePort(), cluster.tokens(), uid, APPCODE, true);

    // through A's admin listener, which applies the ban on A: B learns it from the cluster
    JsonObject placed =
        admin(a, HttpMethod.POST, "/v1/bans", new JsonObject().put("uid", uid).put("seconds", 600));
    assertEquals(0, placed.getInteger("code"), placed::encode);

    // node B kicks the session once the ban has reached its copy: the KICK is the event waited on
    ServerFrame kick = session.nextFrame();
    assertEquals(Command.KICK, kick.command());
    assertEquals(4006, kick.body().getInteger("code"));
    CourierConnection again = cluster.client().connect(b.gatePort(), "127.0.0.1").await();
    try {
      JsonObject refused = again.login(uid, APPCODE, cluster.tokens().valid(uid, APPCODE)).await();
      assertEquals(403, refused.getInteger("code"), refused::encode);

      JsonObject lifted = admin(a, HttpMethod.DELETE, "/v1/bans?uid=" + uid, null);
      assertEquals(true, lifted.getBoolean("lifted"), lifted::encode);
    } finally {
      again.close();
    }
  }

  @Test
  void aTokenRevokedThroughNodeAEndsItsSessionOnNodeBAndCannotLogInThere() {
    String uid = "x-revoked-" + UUID.randomUUID().toString().substring(0, 8);
    String jti = UUID.randomUUID().toString();
    String token = cluster.tokens().with(uid, APPCODE, new JsonObject().put("jti", jti), 600);
    ClusterNode a = cluster.nodes().get(0);
    ClusterNode b = cluster.nodes().get(1);
    TestSession session =
        TestSession.login(cluster.client(), b.gatePort(), uid, APPCODE, token, true);

    JsonObject revoked =
        admin(
            a,
            HttpMethod.POST,
            "/v1/revocations",
            new JsonObject().put("appcode", APPCODE).put("jti", jti).put("exp", Tokens.exp(token)));
    assertEquals(0, revoked.getInteger("code"), revoked::encode);

    // node B kicks the session once the revocation has reached its copy
    ServerFrame kick = session.nextFrame();
    assertEquals(Command.KICK, kick.command());
    assertEquals(4004, kick.body().getInteger("code"));
    CourierConnection again = cluster.client().connect(b.gatePort(), "127.0.0.1").await();
    try {
      JsonObject refused = again.login(uid, APPCODE, token).await();
      assertEquals(401, refused.getInteger("code"), refused::encode);
    } finally {
      again.close();
    }
  }

  private static JsonObject admin(
      ClusterNode node, HttpMethod method, String path, JsonObject body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(node.adminPort())
            .setURI(path)
            .putHeader("Authorization", "Bearer " + ClusterNode.ADMIN_TOKEN);
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
        .compose(HttpClientResponse::body)
        .await()
        .toJsonObject();
  }
}
