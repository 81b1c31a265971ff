package io.courier.routing;

import io.courier.config.Systems;
import io.courier.message.Message;
import io.courier.store.Group;
import io.courier.store.MessageStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A user's terminals in a user system (docs/conversations.md): the appcodes of the system that the
 * user has logged in with, recorded durably at login. A C2C message reaches each of the receiver's
 * terminals in the system of the addressed appcode, and a copy of it each of the sender's other
 * terminals in the sender's system ({@code sync}); each copy is an offline row of its own, so that
 * every terminal gets the message exactly once, by PUSH or by PULL.
 *
 * @implNote The store checks which candidate terminals exist inside the message's write (a few
 *     point reads on the RocksDB writer, cached; one lookup per batch on MySQL), rather than the
 *     routing reading them before: that was two store reads, two thread hops and their futures per
 *     message. Terminals that have logged in, rather than every appcode of the system: a copy for
 *     an app the user never installed would wait for its retention period and, worse, fill that
 *     terminal's offline cap. A terminal gets the messages accepted after its first login; the
 *     earlier ones are in HISTORY. Recording on every login was rejected in favour of a read first:
 *     logins are frequent, new terminals rare.
 */
public final class Terminals {
  private final Systems systems;
  private final MessageStore store;

  public Terminals(Systems systems, MessageStore store) {
    this.systems = systems;
    this.store = store;
  }

  /**
   * Records the terminal {@code (uid, appcode)} once, when its system has several appcodes; the
   * login answers after it.
   */
  public Future<Void> record(String uid, int appcode, long now) {
    if (!systems.shared(appcode)) {
      return Future.succeededFuture();
    }
    return store
        .terminals(uid)
        .compose(
            known ->
                known.contains(appcode)
                    ? Future.succeededFuture()
                    : store.addTerminal(uid, appcode, now));
  }

  /**
   * The copies of {@code message} for every other terminal it may reach: each other appcode of the
   * receiver's user system, and each other appcode of the sender's ({@code sync}); none for the
   * addressed terminal (it gets the message itself) or the sending one, one per terminal. The store
   * keeps those whose terminal is recorded ({@link MessageStore#acceptC2c(Message, String, List)}),
   * in the message's own write.
   */
  List<Message> candidates(Message message) {
    Set<String> taken = new HashSet<>();
    taken.add(message.toUid() + '\n' + message.toAppcode());
    taken.add(message.fromUid() + '\n' + message.fromAppcode());
    List<Message> copies = new ArrayList<>();
    for (int appcode : systems.of(message.toAppcode())) {
      if (taken.add(message.toUid() + '\n' + appcode)) {
        copies.add(message.at(message.toUid(), appcode));
      }
    }
    for (int appcode : systems.of(message.fromAppcode())) {
      if (taken.add(message.fromUid() + '\n' + appcode)) {
        copies.add(message.at(message.fromUid(), appcode));
      }
    }
    return copies;
  }

  /**
   * The candidate offline rows of the group message {@code message} for {@code member} ({@link
   * GroupFanout}): another member's addressed copy and a copy for each other appcode of its user
   * system; for the sender, a {@code sync} copy for each other appcode of the system it sent from.
   * The store keeps the addressed copies and, of the others, those whose terminal is recorded.
   */
  List<Message> groupCopies(Message message, Group.Member member) {
    List<Message> copies = new ArrayList<>();
    if (member.uid().equals(message.fromUid())) {
      for (int appcode : systems.of(message.fromAppcode())) {
        if (appcode != message.fromAppcode()) {
          copies.add(message.forMember(member.uid(), member.appcode(), appcode));
        }
      }
      return copies;
    }
    copies.add(message.forMember(member.uid(), member.appcode(), member.appcode()));
    for (int appcode : systems.of(member.appcode())) {
      if (appcode != member.appcode()) {
        copies.add(message.forMember(member.uid(), member.appcode(), appcode));
      }
    }
    return copies;
  }
}
