package io.courier.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFeedTest {
  private final List<String> printed = new ArrayList<>();
  private final MessageFeed feed = new MessageFeed(printed::add);

  private static JsonObject message(String msgid) {
    return new JsonObject()
        .put("msgid", msgid)
        .put("kind", "c2c")
        .put("from_uid", "alice")
        .put("from_appcode", 101)
        .put("msgtype", 1)
        .put("content", "m" + msgid);
  }

  private List<String> msgidsPrinted() {
    return printed.stream().map(line -> line.split(" ")[0] + " " + line.split(" ")[1]).toList();
  }

  @Test
  void offlineMessagesComeBeforePushesThatArrivedDuringThePull() {
    feed.pushed(message("30"));
    assertEquals(2, feed.pulled(new JsonArray().add(message("10")).add(message("20"))));
    assertEquals(List.of("pulled msgid=10", "pulled msgid=20"), msgidsPrinted());

    feed.pullDone();
    feed.pushed(message("40"));
    assertEquals(
        List.of("pulled msgid=10", "pulled msgid=20", "push msgid=30", "push msgid=40"),
        msgidsPrinted());
  }

  @Test
  void eachMsgidIsPrintedOnce() {
    feed.pushed(message("20"));
    assertEquals(1, feed.pulled(new JsonArray().add(message("10")).add(message("10"))));
    assertEquals(1, feed.pulled(new JsonArray().add(message("20"))));
    feed.pullDone();
    feed.pushed(message("20"));
    feed.pushed(message("10"));
    feed.pushed(message("30"));
    feed.pushed(message("30"));
    assertEquals(List.of("pulled msgid=10", "pulled msgid=20", "push msgid=30"), msgidsPrinted());
  }

  @Test
  void rememberedMsgidsAreBounded() {
    feed.pullDone();
    feed.pushed(message("0"));
    for (int i = 1; i <= MessageFeed.REMEMBERED; i++) {
      feed.pushed(message(String.valueOf(i)));
    }
    feed.pushed(message("0"));
    feed.pushed(message(String.valueOf(MessageFeed.REMEMBERED)));
    assertEquals(MessageFeed.REMEMBERED + 2, printed.size());
    assertEquals("push msgid=0", msgidsPrinted().get(printed.size() - 1));
  }

  @Test
  void aSecondPullDoneChangesNothing() {
    feed.pullDone();
    feed.pullDone();
    feed.pushed(message("5"));
    assertEquals(List.of("push msgid=5"), msgidsPrinted());
  }
}
