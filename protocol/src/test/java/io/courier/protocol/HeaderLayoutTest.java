package io.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The header offsets of protocol.md section 3.1, copied from its table. */
class HeaderLayoutTest {

  @Test
  void offsetsAreThoseOfTheSpecTable() {
    assertEquals(
        List.of(0, 2, 3, 4, 6, 8, 12, 16),
        List.of(
            HeaderLayout.MAGIC_OFFSET,
            HeaderLayout.VERSION_OFFSET,
            HeaderLayout.FLAGS_OFFSET,
            HeaderLayout.CMD_OFFSET,
            HeaderLayout.RESERVED_OFFSET,
            HeaderLayout.SEQ_OFFSET,
            HeaderLayout.LENGTH_OFFSET,
            HeaderLayout.BODY_OFFSET));
  }
}
