package io.courier.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogidTest {

  @Test
  void keepsAValidLogid() {
    assertEquals("order-42_abc", Logid.keepOrCreate("order-42_abc"));
    assertEquals("a".repeat(64), Logid.keepOrCreate("a".repeat(64)));
  }

  @Test
  void replacesAnInvalidOrMissingLogid() {
    for (Object bad :
        new Object[] {null, "short", "a".repeat(65), "has space1", "semi;colon", 12345678L}) {
      String made = Logid.keepOrCreate(bad);
      assertTrue(made.matches("[0-9a-f]{16}"), made);
      assertNotEquals(bad, made);
    }
  }
}
