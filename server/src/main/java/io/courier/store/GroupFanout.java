package io.courier.store;

import io.courier.message.Message;
import java.util.List;

/**
 * The copies of a group message for one member (docs/groups.md), decided by routing and asked by
 * the store inside the message's write, once per member as the write finds the membership.
 */
@FunctionalInterface
public interface GroupFanout {

  /**
   * The candidate offline rows of {@code message} for {@code member}: for another member its
   * addressed copy ({@link Message#forMember} with the member's appcode) and a copy for each other
   * terminal of its user system; for the sender, a {@code sync} copy for each other terminal of its
   * system. The store writes the addressed copies and, of the others, those whose terminal is
   * recorded ({@link MessageStore#addTerminal}), like {@link MessageStore#acceptC2c(Message,
   * String, List)}'s copies.
   */
  List<Message> copies(Message message, Group.Member member);
}
