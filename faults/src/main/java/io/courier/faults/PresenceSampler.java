package io.courier.faults;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the presence records of the workload's users from Redis every second and records them
 * (storage.md section 1.2: hash {@code courier:presence:<uid>}, field appcode, value {@code
 * <node>|<session>|<since>}), so that the checker can tell whether a session stayed marked online
 * on a dead node. While Redis is down there is nothing to read, and nothing is recorded.
 */
final class PresenceSampler implements Runnable {
  private static final long INTERVAL_MS = 1_000;

  private final int redisPort;
  private final List<String> uids;
  private final History history;
  private volatile boolean stopped;

  PresenceSampler(int redisPort, List<String> uids, History history) {
    this.redisPort = redisPort;
    this.uids = uids;
    this.history = history;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    while (!stopped) {
      try (Resp redis = new Resp(Topology.HOST_ADDRESS, redisPort, 2_000)) {
        while (!stopped) {
          sample(redis);
          Thread.sleep(INTERVAL_MS);
        }
      } catch (IOException e) {
        sleep();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample(Resp redis) throws IOException {
    List<List<String>> commands = new ArrayList<>();
    for (String uid : uids) {
      commands.add(List.of("HGETALL", "courier:presence:" + uid));
    }
    List<Object> replies = redis.pipeline(commands);
    List<JsonArray> records = new ArrayList<>();
    for (int i = 0; i < uids.size(); i++) {
      List<?> fields = (List<?>) replies.get(i);
      for (int f = 0; f + 1 < fields.size(); f += 2) {
        String value = (String) fields.get(f + 1);
        records.add(
            new JsonArray()
                .add(uids.get(i))
                .add(Integer.parseInt((String) fields.get(f)))
                .add(value.split("\\|", 2)[0]));
      }
    }
    history.presence(records);
  }

  private void sleep() {
    try {
      Thread.sleep(INTERVAL_MS);
    } catch (InterruptedException e) {
      stopped = true;
    }
  }
}
