package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FanoutLedgerTest {

  @Test
  void aMessageIsDueToEveryMemberButItsSender() {
    FanoutLedger ledger = new FanoutLedger(4);
    ledger.accepted(10, 0);
    assertEquals(FanoutLedger.Receipt.FIRST, ledger.received(10, 1));
    assertEquals(FanoutLedger.Receipt.FIRST, ledger.received(10, 2));
    assertEquals(3, ledger.dueCount());
    assertEquals(1, ledger.missing());
    assertEquals(FanoutLedger.Receipt.COMPLETE, ledger.received(10, 3));
    assertEquals(0, ledger.missing());
    assertEquals(3, ledger.receivedCount());
    assertEquals(1, ledger.acceptedCount());
  }

  @Test
  void countsLostDuplicatedAndUnexpectedPerMember() {
    FanoutLedger ledger = new FanoutLedger(3);
    ledger.accepted(1, 0);
    ledger.accepted(2, 1);
    ledger.received(1, 1);
    ledger.received(1, 2);
    assertEquals(FanoutLedger.Receipt.DUPLICATE, ledger.received(1, 2));
    ledger.received(2, 0);
    ledger.received(99, 1);

    assertEquals(4, ledger.dueCount());
    assertEquals(1, ledger.missing());
    assertEquals(1, ledger.duplicates());
    assertEquals(1, ledger.unexpected());
    assertEquals(4, ledger.receivedCount());
  }

  @Test
  void aReceiptMayComeBeforeTheAcceptance() {
    FanoutLedger ledger = new FanoutLedger(2);
    assertEquals(FanoutLedger.Receipt.COMPLETE, ledger.received(7, 0));
    assertEquals(1, ledger.unexpected());
    ledger.accepted(7, 1);
    ledger.accepted(7, 1);
    assertEquals(0, ledger.missing());
    assertEquals(0, ledger.unexpected());
    assertEquals(1, ledger.acceptedCount());
  }

  @Test
  void keepsTensOfThousandsOfMessagesToAGroupOfFiveHundred() {
    FanoutLedger ledger = new FanoutLedger(500);
    long base = 132271570944012293L;
    for (long i = 0; i < 20_000; i++) {
      ledger.accepted(base + i, 0);
      for (int slot = 1; slot < (i % 100 == 0 ? 499 : 500); slot++) {
        ledger.received(base + i, slot);
      }
    }
    assertEquals(20_000L * 499, ledger.dueCount());
    assertEquals(200, ledger.missing());
    assertEquals(0, ledger.duplicates());
    assertEquals(0, ledger.unexpected());
  }
}
