package io.courier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.config.Systems;
import io.courier.message.Kind;
import io.courier.message.Message;
import io.courier.testkit.fakes.InMemoryMessageStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which terminals get a copy of a C2C message ({@link Terminals}), without a network. */
class TerminalCopiesTest {
  private final Terminals terminals =
      new Terminals(Systems.development(), new InMemoryMessageStore());

  @Test
  void everyOtherAppOfBothUsersSystemsIsACandidateOnce() {
    Message message = message("alice", 101, "bob", 102);
    List<Message> copies = terminals.candidates(message);
    assertEquals(
        List.of(
            message.at("bob", 101),
            message.at("bob", 103),
            message.at("alice", 102),
            message.at("alice", 103)),
        copies,
        "not the addressed terminal, not the sending one");
    assertEquals(List.of(false, false, true, true), copies.stream().map(Message::sync).toList());
  }

  @Test
  void aUserWritingToThemselvesGetsOneCopyPerOtherTerminal() {
    Message message = message("carol", 101, "carol", 102);
    assertEquals(List.of(message.at("carol", 103)), terminals.candidates(message));
  }

  @Test
  void anAppOfNoSharedSystemHasNoOtherTerminal() {
    assertEquals(List.of(), terminals.candidates(message("dave", 201, "erin", 301)));
  }

  private static Message message(String from, int fromAppcode, String to, int toAppcode) {
    return new Message(42, Kind.C2C, from, fromAppcode, to, toAppcode, 1, "hi", 1, "log-1");
  }
}
