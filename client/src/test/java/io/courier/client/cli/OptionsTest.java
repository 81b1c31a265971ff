package io.courier.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.client.ClientTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {
  private static final Map<String, String> NO_ENV = Map.of();

  private static GateOptions gate(Map<String, String> env, String... args) throws UsageException {
    return GateOptions.from(Flags.parse(args, GateOptions.FLAGS), env);
  }

  private static SendOptions send(String... args) throws UsageException {
    return SendOptions.from(Flags.parse(args, SendOptions.FLAGS), NO_ENV, () -> "generated");
  }

  private static S2cOptions s2c(Map<String, String> env, String... args) throws UsageException {
    return S2cOptions.from(Flags.parse(args, S2cOptions.FLAGS), env);
  }

  @Test
  void gateDefaultsToLocalhost9000() throws UsageException {
    assertEquals(
        new GateOptions("127.0.0.1", 9000, "bob", 101, "T", ClientTls.plain()),
        gate(NO_ENV, "--uid", "bob", "--appcode", "101", "--token", "T"));
    assertEquals(
        new GateOptions("10.0.0.5", 9100, "bob", 101, "T", ClientTls.plain()),
        gate(
            NO_ENV,
            "--uid",
            "bob",
            "--appcode",
            "101",
            "--token",
            "T",
            "--host",
            "10.0.0.5",
            "--port",
            "9100"));
  }

  @Test
  void tlsWithTheSystemTrustOrACaFile(@TempDir Path dir) throws Exception {
    String[] login = {"--uid", "bob", "--appcode", "101", "--token", "T"};
    assertEquals(ClientTls.systemTrust(), gate(NO_ENV, with(login, "--tls")).tls());
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
    assertEquals(ClientTls.trusting(ca), gate(NO_ENV, with(login, "--ca", ca.toString())).tls());
    assertEquals(
        ClientTls.trusting(ca),
        s2c(
                NO_ENV,
                "--to",
                "bob",
                "--to-appcode",
                "101",
                "--text",
                "x",
                "--tls",
                "--ca",
                ca.toString())
            .tls());
    assertEquals(
        "--ca " + dir.resolve("none.pem") + ": no readable file",
        assertThrows(
                UsageException.class,
                () -> gate(NO_ENV, with(login, "--ca", dir.resolve("none.pem").toString())))
            .getMessage());
    assertEquals(
        "--tls given twice",
        assertThrows(UsageException.class, () -> gate(NO_ENV, with(login, "--tls", "--tls")))
            .getMessage());
  }

  private static String[] with(String[] base, String... more) {
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void tokenFromTheEnvironmentWhenNotGiven() throws UsageException {
    Map<String, String> env = Map.of("COURIER_TOKEN", "from-env");
    assertEquals("from-env", gate(env, "--uid", "bob", "--appcode", "101").token());
    assertEquals("T", gate(env, "--uid", "bob", "--appcode", "101", "--token", "T").token());
  }

  @Test
  void withoutTokenItIsAUsageError() {
    assertEquals(
        "--token (or COURIER_TOKEN in the environment) is required",
        assertThrows(UsageException.class, () -> gate(NO_ENV, "--uid", "bob", "--appcode", "101"))
            .getMessage());
    assertThrows(
        UsageException.class,
        () -> gate(Map.of("COURIER_TOKEN", ""), "--uid", "bob", "--appcode", "101"));
  }

  @Test
  void appcodeOutOfRange() {
    assertEquals(
        "--appcode must be an integer 1-65535, got \"0\"",
        assertThrows(
                UsageException.class,
                () -> gate(NO_ENV, "--uid", "bob", "--appcode", "0", "--token", "T"))
            .getMessage());
  }

  @Test
  void sendDefaultsAndChecks() throws UsageException {
    String[] base = {
      "--uid",
      "alice",
      "--appcode",
      "101",
      "--token",
      "T",
      "--to",
      "bob",
      "--to-appcode",
      "102",
      "--text",
      "hi"
    };
    SendOptions options = send(base);
    assertEquals("bob", options.toUid());
    assertEquals(102, options.toAppcode());
    assertEquals(1, options.msgtype());
    assertEquals("hi", options.text());
    assertEquals("generated", options.cmid());
    assertEquals("alice", options.gate().uid());

    assertEquals("c-1", send(concat(base, "--cmid", "c-1")).cmid());
    SendOptions toGroup =
        send(
            "--uid",
            "alice",
            "--appcode",
            "101",
            "--token",
            "T",
            "--group",
            "order-7",
            "--text",
            "hi");
    assertEquals("order-7", toGroup.groupId());
    assertEquals(null, toGroup.toUid());
    assertEquals(
        "give --group or --to and --to-appcode, not both",
        assertThrows(UsageException.class, () -> send(concat(base, "--group", "order-7")))
            .getMessage());
    assertEquals(7, send(concat(base, "--msgtype", "7")).msgtype());
    assertEquals(
        "--cmid must be 1-64 characters",
        assertThrows(UsageException.class, () -> send(concat(base, "--cmid", "x".repeat(65))))
            .getMessage());
    assertEquals(
        "--text is required",
        assertThrows(
                UsageException.class,
                () ->
                    send(
                        "--uid",
                        "alice",
                        "--appcode",
                        "101",
                        "--token",
                        "T",
                        "--to",
                        "bob",
                        "--to-appcode",
                        "101"))
            .getMessage());
  }

  @Test
  void s2cDefaultsLeaveQosAndSenderToTheNode() throws UsageException {
    S2cOptions options = s2c(NO_ENV, "--to", "bob", "--to-appcode", "101", "--text", "order 42");
    assertEquals(
        new S2cOptions(
            "bob", 101, 1, "order 42", null, null, "127.0.0.1", 7000, null, 10, ClientTls.plain()),
        options);
  }

  @Test
  void s2cEveryOption() throws UsageException {
    S2cOptions options =
        s2c(
            NO_ENV,
            "--to",
            "bob",
            "--to-appcode",
            "101",
            "--text",
            "x",
            "--msgtype",
            "9",
            "--qos",
            "0",
            "--from",
            "shop-1",
            "--bridge-host",
            "10.0.0.5",
            "--bridge-port",
            "7100",
            "--secret",
            "s3cret",
            "--timeout",
            "3");
    assertEquals(
        new S2cOptions(
            "bob", 101, 9, "x", 0, "shop-1", "10.0.0.5", 7100, "s3cret", 3, ClientTls.plain()),
        options);
  }

  @Test
  void s2cSecretFromTheNodesVariable() throws UsageException {
    Map<String, String> env = Map.of("COURIER_BRIDGE_SECRET", "env-secret");
    String[] base = {"--to", "bob", "--to-appcode", "101", "--text", "x"};
    assertEquals("env-secret", s2c(env, base).secret());
    assertEquals("flag", s2c(env, concat(base, "--secret", "flag")).secret());
    assertNull(s2c(Map.of("COURIER_BRIDGE_SECRET", ""), base).secret());
  }

  @Test
  void s2cQosIsZeroOrOne() {
    assertEquals(
        "--qos must be an integer 0-1, got \"2\"",
        assertThrows(
                UsageException.class,
                () ->
                    s2c(NO_ENV, "--to", "bob", "--to-appcode", "101", "--text", "x", "--qos", "2"))
            .getMessage());
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
