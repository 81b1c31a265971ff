package io.courier.tools;

import io.courier.config.ConfigException;
import io.courier.protocol.Fields;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code java -jar courier.jar token --uid U --appcode N [--ttl SECONDS] [--secret S]}: prints a
 * login token (HS256 JWT with {@code sub}, {@code appcode}, {@code iat}, {@code exp}) for trying a
 * node with any client.
 *
 * <p>The secret is {@code --secret}, else the appcode's secret in the node configuration taken from
 * the environment ({@code COURIER_APPS}), else the built-in development secret — so a token made on
 * the machine that runs the node matches it. In production the business server signs tokens itself.
 */
public final class TokenCommand {
  public static final String NAME = "token";
  static final int DEFAULT_TTL_SECONDS = 24 * 3600;
  private static final int USAGE_EXIT = 2;
  private static final String USAGE =
      "usage: java -jar courier.jar token --uid UID --appcode APPCODE [--ttl SECONDS] [--secret SECRET]";

  private TokenCommand() {}

  /** Runs the command; the result is the process exit code (0, or 2 for bad arguments). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String uid = null;
    String appcodeText = null;
    String ttlText = String.valueOf(DEFAULT_TTL_SECONDS);
    String secret = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("-h") || flag.equals("--help")) {
        out.println(USAGE);
        return 0;
      }
      if (i + 1 >= args.length) {
        return usage(err, "missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--uid":
          uid = value;
          break;
        case "--appcode":
          appcodeText = value;
          break;
        case "--ttl":
          ttlText = value;
          break;
        case "--secret":
          secret = value;
          break;
        default:
          return usage(err, "unknown option " + flag);
      }
    }
    if (!Fields.isUid(uid)) {
      return usage(err, "--uid must be 1-64 chars of [A-Za-z0-9_.:@-]");
    }
    int appcode;
    int ttl;
    try {
      appcode = Integer.parseInt(appcodeText == null ? "" : appcodeText);
      ttl = Integer.parseInt(ttlText);
    } catch (NumberFormatException e) {
      return usage(err, "--appcode and --ttl must be integers");
    }
    if (appcode < 1 || appcode > Fields.MAX_APPCODE || ttl < 1) {
      return usage(err, "--appcode must be 1-" + Fields.MAX_APPCODE + " and --ttl at least 1");
    }
    if (secret == null) {
      try {
        secret = TokenSigner.configuredSecret(appcode, env);
      } catch (ConfigException e) {
        return usage(err, e.getMessage());
      }
      if (secret == null) {
        return usage(
            err, "appcode " + appcode + " is not configured (COURIER_APPS); pass --secret");
      }
    }
    out.println(sign(uid, appcode, ttl, secret));
    return 0;
  }

  static String sign(String uid, int appcode, int ttlSeconds, String secret) {
    Vertx vertx = Vertx.vertx();
    try {
      return new TokenSigner(vertx, secret, ttlSeconds).sign(uid, appcode);
    } finally {
      vertx.close();
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("courier token: " + problem);
    err.println(USAGE);
    return USAGE_EXIT;
  }
}
