package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

  @Test
  void countsLostDuplicatedAndUnexpected() {
    DeliveryLedger ledger = new DeliveryLedger();
    ledger.accepted(1, "pushed");
    ledger.accepted(2, "pushed");
    ledger.accepted(3, "stored");
    ledger.accepted(4, "dropped");
    assertTrue(ledger.received(1));
    assertFalse(ledger.received(1));
    assertTrue(ledger.received(99));

    assertEquals(4, ledger.acceptedCount());
    assertEquals(2, ledger.receivedCount());
    assertEquals(1, ledger.duplicates());
    assertEquals(3, ledger.missing());
    assertEquals(1, ledger.missing("pushed"));
    assertEquals(Map.of("pushed", 1L, "stored", 1L, "dropped", 1L), ledger.missingByStatus());
    assertEquals(1, ledger.unexpected());
  }

  @Test
  void aReceiptMayComeBeforeTheAcceptance() {
    DeliveryLedger ledger = new DeliveryLedger();
    ledger.received(7);
    ledger.accepted(7, null);
    assertEquals(0, ledger.missing());
    assertEquals(0, ledger.unexpected());
  }

  @Test
  void keepsHundredsOfThousandsOfMsgidsWithTheirStatus() {
    DeliveryLedger ledger = new DeliveryLedger();
    long base = 132271570944012293L;
    for (long i = 0; i < 300_000; i++) {
      ledger.accepted(base + i, i % 3 == 0 ? "stored" : "pushed");
      if (i % 10 != 0) {
        assertTrue(ledger.received(base + i));
      }
    }
    ledger.accepted(base, "pushed");
    ledger.accepted(-1, "dropped");
    assertEquals(300_001, ledger.acceptedCount());
    assertEquals(270_000, ledger.receivedCount());
    assertEquals(
        Map.of("pushed", 20_001L, "stored", 9_999L, "dropped", 1L), ledger.missingByStatus());
    assertEquals(20_001, ledger.missing("pushed"));
    assertEquals(0, ledger.missing("unknown"));
    assertEquals(0, ledger.unexpected());
    assertFalse(ledger.received(base + 1));
    assertEquals(1, ledger.duplicates());
  }

  @Test
  void parsesMsgidsAsUnsignedDecimalStrings() {
    assertEquals(132271570944012293L, DeliveryLedger.parseMsgid("132271570944012293"));
    assertEquals(-1, DeliveryLedger.parseMsgid(132271570944012293L));
    assertEquals(-1, DeliveryLedger.parseMsgid("12a"));
    assertEquals(-1, DeliveryLedger.parseMsgid(null));
  }
}
