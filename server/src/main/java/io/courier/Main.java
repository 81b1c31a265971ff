package io.courier;

import io.courier.tools.MigrateStoreCommand;
import io.courier.tools.TokenCommand;
import io.vertx.launcher.application.VertxApplication;
import java.util.Arrays;

/**
 * Entry point of {@code courier.jar}: {@code token …} prints a development token, {@code
 * migrate-store …} copies an H2 data directory of an earlier Courier into the embedded store;
 * anything else goes to Vert.x's launcher ({@code -conf}, {@code -cluster}, {@code -options} …),
 * which starts a node and exits the JVM with a non-zero code when start-up fails.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(TokenCommand.NAME)) {
      System.exit(
          TokenCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals(MigrateStoreCommand.NAME)) {
      System.exit(
          MigrateStoreCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    new VertxApplication(args, new CourierHooks(args, System.getenv(), System.err)).launch();
  }
}
