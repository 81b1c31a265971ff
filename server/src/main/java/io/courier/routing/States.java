package io.courier.routing;

import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.store.MessageStore.Positions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code state} of a C2C message as one of its two users sees it (docs/conversations.md): for
 * the sender {@code sent}, {@code delivered} once a terminal of the receiver got it, {@code read}
 * once the receiver read the conversation up to it; for the receiver {@code delivered}, or {@code
 * read} once it read the conversation up to it (on any terminal). S2C messages have none.
 */
final class States {
  static final String SENT = "sent";
  static final String DELIVERED = "delivered";
  static final String READ = "read";

  private States() {}

  /** The peer of {@code owner} in the conversation of {@code message}, null for S2C. */
  static String peer(String owner, Message message) {
    if (message.kind() != Kind.C2C) {
      return null;
    }
    return message.fromUid().equals(owner) ? message.toUid() : message.fromUid();
  }

  /** The peers of {@code owner} in the conversations of {@code messages}. */
  static Set<String> peers(String owner, List<Message> messages) {
    Set<String> peers = new LinkedHashSet<>();
    for (Message message : messages) {
      String peer = peer(owner, message);
      if (peer != null) {
        peers.add(peer);
      }
    }
    return peers;
  }

  /** {@code message} as {@code owner} sees it, given its conversation's positions. */
  static String of(String owner, Message message, Positions positions) {
    boolean sentByOwner = message.fromUid().equals(owner) && !message.toUid().equals(owner);
    if (sentByOwner) {
      if (message.msgid() <= positions.peerRead()) {
        return READ;
      }
      return message.msgid() <= positions.peerDelivered() ? DELIVERED : SENT;
    }
    return message.msgid() <= positions.read() ? READ : DELIVERED;
  }

  /**
   * {@code messages} of {@code owner}'s PULL or HISTORY page, each with its state; a group message
   * in a PULL is {@code sent} (the owner's own) or {@code delivered}: the read state of a group
   * comes with its HISTORY and CONVERSATIONS entry.
   */
  static List<Message> apply(
      String owner, List<Message> messages, Map<String, Positions> positions) {
    List<Message> stated = new ArrayList<>(messages.size());
    for (Message message : messages) {
      String peer = peer(owner, message);
      if (message.kind() == Kind.C2G) {
        stated.add(ofGroup(owner, 0, message));
      } else {
        stated.add(
            peer == null
                ? message
                : message.withState(
                    of(owner, message, positions.getOrDefault(peer, Positions.NONE))));
      }
    }
    return stated;
  }

  /**
   * The group message {@code message} as the member {@code owner} sees it, whose read position in
   * the group is {@code read} (docs/groups.md): {@code sent} when it is the owner's own, {@code
   * read} up to the position, else {@code delivered}.
   */
  static Message ofGroup(String owner, long read, Message message) {
    if (message.fromUid().equals(owner)) {
      return message.withState(SENT);
    }
    return message.withState(message.msgid() <= read ? READ : DELIVERED);
  }
}
