package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.config.Systems;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.testkit.fakes.InMemoryMessageStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which terminals get a copy of a C2C message ({@link Terminals}), without a network. */
class TerminalCopiesTest {
  private final Terminals terminals =
      new Terminals(Systems.development(), new InMemoryMessageStore());

  @Test
  void theReceiversOtherTerminalsAndTheSendersOthersGetOneCopyEach() {
    Message message = message("alice", 101, "bob", 102);
    List<Message> copies =
        terminals.copies(message, Set.of(101, 102, 103, 201), Set.of(101, 103, 301));
    assertEquals(
        List.of(message.at("bob", 101), message.at("bob", 103), message.at("alice", 103)),
        copies,
        "not the addressed terminal, not the sending one, nothing outside the systems");
    assertEquals(List.of(false, false, true), copies.stream().map(Message::sync).toList());
  }

  @Test
  void aUserWritingToThemselvesGetsOneCopyPerOtherTerminal() {
    Message message = message("carol", 101, "carol", 102);
    assertEquals(
        List.of(message.at("carol", 103)),
        terminals.copies(message, Set.of(101, 102, 103), Set.of(101, 102, 103)));
  }

  @Test
  void anAppOfNoSharedSystemGetsNoCopyAndIsNotLookedUp() {
    Message message = message("dave", 201, "erin", 301);
    assertEquals(List.of(), terminals.copies(message).result());
  }

  private static Message message(String from, int fromAppcode, String to, int toAppcode) {
    return new Message(42, Kind.C2C, from, fromAppcode, to, toAppcode, 1, "hi", 1, "log-1");
  }
}
