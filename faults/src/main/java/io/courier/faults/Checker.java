package io.courier.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a run's history against Courier's promises (docs/faults.md, "The checker's rules"). A
 * plain function of the events: no clock, no network, so the rules are unit-tested with
 * hand-written histories.
 *
 * <p>A message is named by its {@code key}, which the workload writes as the message's content: a
 * C2C key is its cmid, so all resends of one C2C share it, as do those of a qos-1 C2S (its key is
 * its cmid too), while every S2C and qos-0 C2S request is a message of its own. A C2G's key is its
 * cmid as well; its receivers are the members of its group, as the {@code group} events list them.
 */
final class Checker {
  /** Rule names, as they appear in the report. */
  static final String LOST = "lost";

  static final String MSGID_REUSED = "msgid-reused";
  static final String DUPLICATE = "duplicate";
  static final String SENDER_ORDER = "sender-order";
  static final String C2G_LOST = "c2g-lost";
  static final String C2G_CMID = "c2g-cmid";
  static final String RECEIVER_ORDER = "receiver-order";
  static final String C2S_ORDER = "c2s-order";
  static final String STALE_PRESENCE = "stale-presence";
  static final String CATCH_UP = "catch-up";
  static final String NOT_HEALED = "not-healed";
  static final String CRASHED = "crashed";

  /** Terminal name of the C2S consumers: every business connection plays the same business. */
  static final String BUSINESS = "business";

  /** One broken promise. */
  record Violation(String rule, String detail) {}

  private final long presenceBoundMs;

  /**
   * @param presenceBoundMs how long after a node went down (killed or stopped) a presence record
   *     may still point at it: the detector's bound
   */
  Checker(long presenceBoundMs) {
    this.presenceBoundMs = presenceBoundMs;
  }

  List<Violation> check(List<JsonObject> events) {
    List<Violation> violations = new ArrayList<>();
    List<JsonObject> ops = byType(events, "op");
    List<JsonObject> deliveries = byType(events, "deliver");
    Map<String, List<String>> members = members(events);
    checkCatchUp(ops, members, events, violations);
    checkLoss(ops, deliveries, violations);
    checkGroupLoss(ops, members, deliveries, violations);
    checkMsgids(ops, deliveries, violations);
    checkDuplicates(ops, deliveries, violations);
    checkSenderOrder(ops, violations);
    checkReceiverOrder(ops, deliveries, violations);
    checkC2sOrder(ops, deliveries, violations);
    checkPresence(events, violations);
    for (JsonObject fault : byType(events, "fault")) {
      if ("unrecovered".equals(fault.getString("phase"))) {
        violations.add(
            new Violation(
                NOT_HEALED,
                "fault "
                    + fault.getLong("id")
                    + " ("
                    + fault.getString("kind")
                    + " "
                    + fault.getString("target")
                    + "): the cluster did not recover after the heal: "
                    + fault.getString("detail")));
      }
    }
    for (JsonObject crash : byType(events, "crash")) {
      violations.add(
          new Violation(
              CRASHED,
              crash.getString("name")
                  + " ended without being killed"
                  + (crash.getString("detail") == null ? "" : ": " + crash.getString("detail"))));
    }
    return violations;
  }

  /** Every terminal that must receive something finished a final catch-up (PULL until empty). */
  private static void checkCatchUp(
      List<JsonObject> ops,
      Map<String, List<String>> members,
      List<JsonObject> events,
      List<Violation> violations) {
    Set<String> caughtUp = new HashSet<>();
    for (JsonObject event : byType(events, "catchup")) {
      if (event.getBoolean("ok", false)) {
        caughtUp.add(event.getString("term"));
      }
    }
    Set<String> receivers = new LinkedHashSet<>();
    for (JsonObject op : ops) {
      if (mustArrive(op)) {
        receivers.add(op.getString("to"));
      } else if (isAnsweredC2g(op)) {
        receivers.addAll(receivers(op, members));
      }
    }
    receivers.remove(BUSINESS);
    for (String receiver : receivers) {
      if (!caughtUp.contains(receiver)) {
        violations.add(
            new Violation(
                CATCH_UP, receiver + " did not finish its final catch-up: its losses are unknown"));
      }
    }
  }

  /** Every message acknowledged with code 0 reached its receiver under the acknowledged msgid. */
  private static void checkLoss(
      List<JsonObject> ops, List<JsonObject> deliveries, List<Violation> violations) {
    Set<String> delivered = new HashSet<>();
    for (JsonObject delivery : deliveries) {
      delivered.add(delivery.getString("term") + " " + delivery.getString("msgid"));
    }
    for (JsonObject op : ops) {
      if (mustArrive(op) && !delivered.contains(op.getString("to") + " " + op.getString("msgid"))) {
        violations.add(
            new Violation(
                LOST,
                op.getString("op")
                    + " "
                    + op.getString("key")
                    + " acknowledged with code 0, msgid "
                    + op.getString("msgid")
                    + ", never reached "
                    + op.getString("to")
                    + " (op "
                    + op.getLong("id")
                    + ")"));
      }
    }
  }

  /**
   * Every C2G answered 0 reached each member of its group but its sender (whose only terminal sent
   * it: docs/groups.md gives the sender's copy only to its other terminals) under the answered
   * msgid, by PUSH or PULL.
   */
  private static void checkGroupLoss(
      List<JsonObject> ops,
      Map<String, List<String>> members,
      List<JsonObject> deliveries,
      List<Violation> violations) {
    Set<String> delivered = new HashSet<>();
    for (JsonObject delivery : deliveries) {
      delivered.add(delivery.getString("term") + " " + delivery.getString("msgid"));
    }
    for (JsonObject op : ops) {
      if (!isAnsweredC2g(op)) {
        continue;
      }
      if (!members.containsKey(op.getString("group"))) {
        violations.add(
            new Violation(
                C2G_LOST,
                "C2G "
                    + op.getString("key")
                    + " answered 0 for group "
                    + op.getString("group")
                    + ", which the history does not show created (op "
                    + op.getLong("id")
                    + ")"));
        continue;
      }
      for (String member : receivers(op, members)) {
        if (!delivered.contains(member + " " + op.getString("msgid"))) {
          violations.add(
              new Violation(
                  C2G_LOST,
                  "C2G "
                      + op.getString("key")
                      + " to group "
                      + op.getString("group")
                      + " acknowledged with code 0, msgid "
                      + op.getString("msgid")
                      + ", never reached member "
                      + member
                      + " (op "
                      + op.getLong("id")
                      + ")"));
        }
      }
    }
  }

  /** The members of each group the workload created, by terminal name. */
  private static Map<String, List<String>> members(List<JsonObject> events) {
    Map<String, List<String>> members = new HashMap<>();
    for (JsonObject group : byType(events, "group")) {
      List<String> terms = new ArrayList<>();
      group.getJsonArray("members").forEach(member -> terms.add((String) member));
      members.put(group.getString("group"), terms);
    }
    return members;
  }

  /** Who must receive a C2G: the members of its group but its sender. */
  private static List<String> receivers(JsonObject op, Map<String, List<String>> members) {
    List<String> receivers =
        new ArrayList<>(members.getOrDefault(op.getString("group"), List.of()));
    receivers.remove(op.getString("from"));
    return receivers;
  }

  private static boolean isAnsweredC2g(JsonObject op) {
    return "c2g".equals(op.getString("op"))
        && op.getInteger("code", History.NO_ANSWER) == 0
        && op.getString("msgid") != null;
  }

  /** No msgid names two messages, in answers and deliveries alike. */
  private static void checkMsgids(
      List<JsonObject> ops, List<JsonObject> deliveries, List<Violation> violations) {
    Map<String, String> keyOf = new HashMap<>();
    Set<String> reported = new HashSet<>();
    List<JsonObject> all = new ArrayList<>(ops);
    all.addAll(deliveries);
    for (JsonObject event : all) {
      String msgid = event.getString("msgid");
      String key = event.getString("key");
      if (msgid == null || key == null) {
        continue;
      }
      String first = keyOf.putIfAbsent(msgid, key);
      if (first != null && !first.equals(key) && reported.add(msgid)) {
        violations.add(
            new Violation(
                MSGID_REUSED, "msgid " + msgid + " names two messages: " + first + " and " + key));
      }
    }
  }

  /**
   * Duplicates are recognisable: one message has one msgid, in the answers to its resends and in
   * every delivery of it. Broken by a C2G, it is the rule {@code c2g-cmid}: one msgid per sender
   * and cmid, in the answers and at every member.
   */
  private static void checkDuplicates(
      List<JsonObject> ops, List<JsonObject> deliveries, List<Violation> violations) {
    Map<String, Set<String>> answered = new LinkedHashMap<>();
    for (JsonObject op : ops) {
      if (op.getInteger("code") != 0) {
        continue;
      }
      String name = null;
      if ("c2c".equals(op.getString("op"))) {
        name = "C2C " + op.getString("key");
      } else if ("c2g".equals(op.getString("op"))) {
        name = "C2G " + op.getString("key") + " of " + op.getString("from");
      } else if ("c2s".equals(op.getString("op")) && op.getString("cmid") != null) {
        name = "C2S " + op.getString("cmid") + " of " + op.getString("from");
      }
      if (name != null) {
        answered.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(op.getString("msgid"));
      }
    }
    answered.forEach(
        (name, msgids) -> {
          if (msgids.size() > 1) {
            violations.add(
                new Violation(
                    name.startsWith("C2G") ? C2G_CMID : DUPLICATE,
                    "resends of " + name + " were answered with msgids " + msgids));
          }
        });
    Map<String, Set<String>> received = new LinkedHashMap<>();
    Set<String> groupKeys = new HashSet<>();
    for (JsonObject delivery : deliveries) {
      String termKey = delivery.getString("term") + " " + delivery.getString("key");
      received
          .computeIfAbsent(termKey, k -> new LinkedHashSet<>())
          .add(delivery.getString("msgid"));
      if ("c2g".equals(delivery.getString("kind"))) {
        groupKeys.add(termKey);
      }
    }
    received.forEach(
        (termKey, msgids) -> {
          if (msgids.size() > 1) {
            violations.add(
                new Violation(
                    groupKeys.contains(termKey) ? C2G_CMID : DUPLICATE,
                    termKey.replace(" ", " received message ") + " under msgids " + msgids));
          }
        });
  }

  /**
   * protocol.md section 8: the C2C of one connection are processed in order, so the msgids of its
   * first sends grow in the order they were sent. Resends (attempt above 1) answer an earlier msgid
   * and are left out.
   */
  private static void checkSenderOrder(List<JsonObject> ops, List<Violation> violations) {
    Map<String, JsonObject> last = new HashMap<>();
    for (JsonObject op : sortedById(ops)) {
      if (!isCleanC2c(op)) {
        continue;
      }
      JsonObject previous = last.put(op.getString("conn"), op);
      if (previous != null
          && Long.compareUnsigned(
                  Long.parseUnsignedLong(op.getString("msgid")),
                  Long.parseUnsignedLong(previous.getString("msgid")))
              <= 0) {
        violations.add(
            new Violation(
                SENDER_ORDER,
                "connection "
                    + op.getString("conn")
                    + ": C2C "
                    + op.getString("key")
                    + " got msgid "
                    + op.getString("msgid")
                    + ", not above "
                    + previous.getString("msgid")
                    + " of the C2C sent before it ("
                    + previous.getString("key")
                    + ")"));
      }
    }
  }

  /**
   * protocol.md section 9.6: pushes of one sender connection leave the server in msgid order, so a
   * receiving connection sees the first push of each of that sender's messages in msgid order.
   * Pushes of a msgid already pushed on the connection (resends) are left out.
   */
  private static void checkReceiverOrder(
      List<JsonObject> ops, List<JsonObject> deliveries, List<Violation> violations) {
    Map<String, String> senderConnOf = new HashMap<>();
    for (JsonObject op : ops) {
      if (isCleanC2c(op)) {
        senderConnOf.put(op.getString("key"), op.getString("conn"));
      }
    }
    Map<String, Set<String>> seen = new HashMap<>();
    Map<String, String> lastMsgid = new HashMap<>();
    for (JsonObject delivery : deliveries) {
      if (!"push".equals(delivery.getString("via"))) {
        continue;
      }
      String conn = delivery.getString("conn");
      String msgid = delivery.getString("msgid");
      if (!seen.computeIfAbsent(conn, c -> new HashSet<>()).add(msgid)) {
        continue;
      }
      String sender = senderConnOf.get(delivery.getString("key"));
      if (sender == null) {
        continue;
      }
      String pair = sender + " -> " + conn;
      String previous = lastMsgid.put(pair, msgid);
      if (previous != null
          && Long.compareUnsigned(Long.parseUnsignedLong(msgid), Long.parseUnsignedLong(previous))
              < 0) {
        violations.add(
            new Violation(
                RECEIVER_ORDER,
                "pushes from connection "
                    + sender
                    + " to connection "
                    + conn
                    + ": msgid "
                    + msgid
                    + " arrived after "
                    + previous));
      }
    }
  }

  /**
   * event-bus.md 6.1: the qos-1 C2S of one sender to one address are handed over in order. Of two
   * such messages, where the first was answered 0 before the second was first sent (a terminal
   * sends one request at a time, so op ids tell), the business first receives the first. Messages
   * never received are the {@code lost} rule's.
   */
  private static void checkC2sOrder(
      List<JsonObject> ops, List<JsonObject> deliveries, List<Violation> violations) {
    Map<String, Integer> firstHanded = new HashMap<>();
    for (int i = 0; i < deliveries.size(); i++) {
      JsonObject delivery = deliveries.get(i);
      if (BUSINESS.equals(delivery.getString("term"))) {
        firstHanded.putIfAbsent(delivery.getString("key"), i);
      }
    }
    Map<String, Map<String, long[]>> queues = new LinkedHashMap<>();
    for (JsonObject op : sortedById(ops)) {
      if (!"c2s".equals(op.getString("op"))
          || op.getInteger("qos", 0) != 1
          || op.getString("cmid") == null) {
        continue;
      }
      long[] sentAnswered =
          queues
              .computeIfAbsent(
                  op.getString("from") + " -> " + op.getString("to"), q -> new LinkedHashMap<>())
              .computeIfAbsent(op.getString("key"), k -> new long[] {op.getLong("id"), -1});
      if (op.getInteger("code") == 0 && sentAnswered[1] < 0) {
        sentAnswered[1] = op.getLong("id");
      }
    }
    queues.forEach(
        (queue, messages) -> {
          List<Map.Entry<String, long[]>> inOrder = new ArrayList<>(messages.entrySet());
          for (int b = 0; b < inOrder.size(); b++) {
            Integer laterHanded = firstHanded.get(inOrder.get(b).getKey());
            if (laterHanded == null) {
              continue;
            }
            for (int a = 0; a < b; a++) {
              long answeredAt = inOrder.get(a).getValue()[1];
              Integer earlierHanded = firstHanded.get(inOrder.get(a).getKey());
              if (answeredAt >= 0
                  && answeredAt < inOrder.get(b).getValue()[0]
                  && earlierHanded != null
                  && earlierHanded > laterHanded) {
                violations.add(
                    new Violation(
                        C2S_ORDER,
                        queue
                            + ": C2S "
                            + inOrder.get(b).getKey()
                            + ", first sent after "
                            + inOrder.get(a).getKey()
                            + " was answered 0, reached the business first"));
              }
            }
          }
        });
  }

  /**
   * No session stays marked online on a node that has been down (killed, or stopped) for longer
   * than the detector's bound.
   */
  private void checkPresence(List<JsonObject> events, List<Violation> violations) {
    Map<String, Long> downSince = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (JsonObject event : events) {
      String type = event.getString("ev");
      if ("node".equals(type)) {
        String vertx = event.getString("vertx");
        if ("down".equals(event.getString("state"))) {
          downSince.putIfAbsent(vertx, event.getLong("t"));
        } else {
          downSince.remove(vertx);
        }
      } else if ("presence".equals(type)) {
        long t = event.getLong("t");
        for (Object item : event.getJsonArray("recs")) {
          JsonArray record = (JsonArray) item;
          String node = record.getString(2);
          Long since = downSince.get(node);
          if (since != null
              && t - since > presenceBoundMs
              && reported.add(node + " " + record.getString(0))) {
            violations.add(
                new Violation(
                    STALE_PRESENCE,
                    record.getString(0)
                        + "/"
                        + record.getValue(1)
                        + " still marked online on node "
                        + node
                        + " "
                        + (t - since)
                        + " ms after it went down (bound "
                        + presenceBoundMs
                        + " ms)"));
          }
        }
      }
    }
  }

  /** An op whose code-0 answer promises delivery: a C2C, a qos-1 S2C, a C2S. */
  static boolean mustArrive(JsonObject op) {
    if (op.getInteger("code", History.NO_ANSWER) != 0 || op.getString("msgid") == null) {
      return false;
    }
    return switch (op.getString("op")) {
      case "c2c", "c2s" -> true;
      case "s2c" -> op.getInteger("qos", 1) == 1;
      default -> false;
    };
  }

  /** A C2C answered 0 on its first send. */
  private static boolean isCleanC2c(JsonObject op) {
    return "c2c".equals(op.getString("op"))
        && op.getInteger("code") == 0
        && op.getInteger("attempt", 1) == 1
        && op.getString("msgid") != null;
  }

  private static List<JsonObject> sortedById(List<JsonObject> ops) {
    List<JsonObject> sorted = new ArrayList<>(ops);
    sorted.sort((a, b) -> Long.compare(a.getLong("id"), b.getLong("id")));
    return sorted;
  }

  static List<JsonObject> byType(List<JsonObject> events, String type) {
    List<JsonObject> selected = new ArrayList<>();
    for (JsonObject event : events) {
      if (type.equals(event.getString("ev"))) {
        selected.add(event);
      }
    }
    return selected;
  }
}
