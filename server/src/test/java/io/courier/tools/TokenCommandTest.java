package io.courier.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.config.Apps;
import io.courier.login.TokenVerifier;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenCommandTest {
  private static final String PROD_SECRET = "prod-secret-of-this-test-0123456789";

  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  @Test
  void printsATokenTheNodeAccepts() {
    Result result = run(Map.of(), "--uid", "driver-7", "--appcode", "201");
    assertEquals(0, result.exit);
    new TokenVerifier(vertx, Apps.development()).verify("driver-7", 201, result.out.trim()).await();
  }

  @Test
  void usesTheSecretOfTheConfiguredApp() {
    Result result =
        run(Map.of("COURIER_APPS", "501=" + PROD_SECRET), "--uid", "u1", "--appcode", "501");
    assertEquals(0, result.exit);
    new TokenVerifier(vertx, new Apps(Map.of(501, PROD_SECRET)))
        .verify("u1", 501, result.out.trim())
        .await();
  }

  @Test
  void badArgumentsExitWithUsage() {
    for (String[] args :
        new String[][] {
          {},
          {"--uid", "u1"},
          {"--uid", "bad uid", "--appcode", "101"},
          {"--uid", "u1", "--appcode", "x"},
          {"--uid", "u1", "--appcode", "999"},
          {"--uid", "u1", "--appcode", "101", "--bogus", "1"},
          {"--uid"}
        }) {
      Result result = run(Map.of(), args);
      assertEquals(2, result.exit, String.join(" ", args));
      assertTrue(result.err.startsWith("courier token: "), result.err);
      assertEquals("", result.out);
    }
  }

  private static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        TokenCommand.run(
            args, env, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    return new Result(exit, out.toString(UTF_8), err.toString(UTF_8));
  }

  private record Result(int exit, String out, String err) {}
}
