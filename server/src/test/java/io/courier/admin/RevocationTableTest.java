package io.courier.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.body.Revocation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Revoked tokens on a clock moved by hand: each revocation ends with its token's exp. */
class RevocationTableTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long EXP = T0 / 1000 + 60;
  private final AtomicLong now = new AtomicLong(T0);
  private final RevocationTable table = new RevocationTable(now::get);

  @Test
  void aRevocationHoldsForItsAppcodeAndJtiUntilTheTokensExp() {
    assertTrue(table.put(new Revocation(101, "j-1", EXP, "stolen")));

    assertTrue(table.revoked(101, "j-1"));
    assertFalse(table.revoked(102, "j-1"), "a jti is the token's only within its appcode");
    assertFalse(table.revoked(101, "j-2"));
    now.set(EXP * 1000 - 1);
    assertTrue(table.revoked(101, "j-1"));
    now.set(EXP * 1000);
    assertFalse(table.revoked(101, "j-1"));
    assertEquals(List.of(), table.list());
  }

  @Test
  void anExpiredTokenIsNotKeptAndRevokingAgainIsNotNew() {
    assertFalse(table.put(new Revocation(101, "old", T0 / 1000, null)));
    assertEquals(0, table.size());
    assertTrue(table.put(new Revocation(101, "j-1", EXP, null)));

    assertFalse(table.put(new Revocation(101, "j-1", EXP + 60, "again")));
    assertEquals(List.of(new Revocation(101, "j-1", EXP + 60, "again")), table.list());
  }

  @Test
  void aReloadFromTheClusterSaysWhetherItRevokesATokenNotRevokedBefore() {
    Revocation first = new Revocation(101, "j-1", EXP + 10, null);
    Revocation second = new Revocation(201, "j-2", EXP, null);
    table.put(first);

    assertFalse(table.replaceAll(List.of(first)));
    assertTrue(table.replaceAll(List.of(first, second)));
    assertEquals(List.of(second, first), table.list(), "soonest to end first");
    assertFalse(table.replaceAll(List.of(second)), "a revocation gone is no new one");
    assertFalse(table.revoked(101, "j-1"));
  }
}
