package io.courier.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cluster's own Redis and MariaDB shards, on the bridge's host address and on free ports, with
 * their data under the suite's work directory: never the machine's shared Redis (6379) or MariaDB
 * (3306), which other tests use.
 *
 * <p>MariaDB runs with {@code --skip-grant-tables} so the nodes connect as root without a password
 * from their own addresses; its durability settings are the defaults (a committed transaction
 * survives a kill -9), which is what the suite tests Courier against.
 */
final class Backends {
  private static final long START_BOUND_MS = 60_000;
  private static final int FIRST_PORT = 20_000;
  private static final int LAST_PORT = 32_000;

  private final Path work;
  private final Path logs;
  private final int redisPort;
  private final List<Integer> shardPorts = new ArrayList<>();
  private Daemon redis;
  private final List<Daemon> shards = new ArrayList<>();

  Backends(Path work, Path logs, int shardCount) {
    this.work = work;
    this.logs = logs;
    this.redisPort = freePort();
    for (int i = 0; i < shardCount; i++) {
      shardPorts.add(freePort());
    }
  }

  /** Kills every process still running from a previous run of the suite in {@code work}. */
  static void killLeftovers(Path work) {
    String marker = work.toAbsolutePath().toString();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = Files.readString(dir.resolve("cmdline")).replace('\0', ' ');
          if (cmdline.contains(marker) && Long.parseLong(name) != ProcessHandle.current().pid()) {
            Shell.signal(Long.parseLong(name), "KILL");
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
  }

  void start() throws IOException, InterruptedException {
    Path redisDir = Files.createDirectories(work.resolve("redis"));
    redis =
        new Daemon(
            List.of(
                "redis-server",
                "--bind",
                Topology.HOST_ADDRESS,
                "--port",
                Integer.toString(redisPort),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                redisDir.toString(),
                "--protected-mode",
                "no"),
            logs.resolve("redis.log"));
    redis.start();
    Path template = work.resolve("mariadb-template");
    Shell.run(
        "mariadb-install-db",
        "--no-defaults",
        "--datadir=" + template,
        "--user=root",
        "--skip-test-db",
        "--auth-root-authentication-method=normal");
    for (int i = 0; i < shardPorts.size(); i++) {
      Path dir = work.resolve("mariadb-" + i);
      Shell.run("cp", "-a", template.toString(), dir.toString());
      Daemon shard =
          new Daemon(
              List.of(
                  "mariadbd",
                  "--no-defaults",
                  "--datadir=" + dir,
                  "--user=root",
                  "--bind-address=" + Topology.HOST_ADDRESS,
                  "--port=" + shardPorts.get(i),
                  "--socket=" + dir.resolve("mysqld.sock"),
                  "--pid-file=" + dir.resolve("pid"),
                  "--skip-grant-tables",
                  "--skip-name-resolve",
                  "--innodb-buffer-pool-size=64M",
                  "--max-connections=500",
                  "--skip-log-bin"),
              logs.resolve("mariadb-" + i + ".log"));
      shard.start();
      shards.add(shard);
    }
    awaitListening(redisPort);
    for (int i = 0; i < shards.size(); i++) {
      awaitListening(shardPorts.get(i));
      Shell.run(
          "mariadb",
          "--no-defaults",
          "-S",
          work.resolve("mariadb-" + i + "/mysqld.sock").toString(),
          "-u",
          "root",
          "-e",
          "CREATE DATABASE IF NOT EXISTS courier_"
              + i
              + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
  }

  String redisUrl() {
    return "redis://" + Topology.HOST_ADDRESS + ":" + redisPort;
  }

  int redisPort() {
    return redisPort;
  }

  List<String> shardUris() {
    List<String> uris = new ArrayList<>();
    for (int i = 0; i < shardPorts.size(); i++) {
      uris.add("mysql://root@" + Topology.HOST_ADDRESS + ":" + shardPorts.get(i) + "/courier_" + i);
    }
    return uris;
  }

  void killRedis() throws InterruptedException {
    redis.kill();
  }

  /** Starts Redis again, empty (it keeps nothing on disk), and waits until it listens. */
  void restartRedis() throws IOException, InterruptedException {
    redis.start();
    awaitListening(redisPort);
  }

  void killShard(int index) throws InterruptedException {
    shards.get(index).kill();
  }

  /** Starts shard {@code index} again on its data and waits until it listens. */
  void restartShard(int index) throws IOException, InterruptedException {
    shards.get(index).start();
    awaitListening(shardPorts.get(index));
  }

  void stop() throws InterruptedException {
    if (redis != null) {
      redis.kill();
    }
    for (Daemon shard : shards) {
      shard.kill();
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_BOUND_MS;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(Topology.HOST_ADDRESS, port), 500);
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("nothing listens on port " + port, e);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * A port that was free a moment ago on every address, below Linux's ephemeral range so that no
   * outgoing connection can take it meanwhile (as the server's test kit does).
   */
  private static int freePort() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("0.0.0.0", port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port");
  }
}
