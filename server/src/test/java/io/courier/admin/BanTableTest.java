package io.courier.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.body.Ban;
import io.courier.protocol.body.BanTarget;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BanTableTest {
  private static final long T0 = 1_700_000_000_000L;
  private final AtomicLong now = new AtomicLong(T0);
  private final BanTable table = new BanTable(now::get);

  @Test
  void aUidBanHoldsUntilItsEndAndNotAMillisecondLonger() {
    table.put(new Ban(BanTarget.uid("alice"), T0 + 60_000, "spam"));

    assertNotNull(table.uidBan("alice"));
    assertNull(table.uidBan("bob"));
    now.set(T0 + 59_999);
    assertNotNull(table.uidBan("alice"));
    now.set(T0 + 60_000);
    assertNull(table.uidBan("alice"));
    assertEquals(List.of(), table.list());
  }

  @Test
  void anIpv4BlockMatchesTheAddressesInsideItOnly() {
    table.put(ban(BanTable.canonical(BanTarget.ip("203.0.113.77/24")), 60_000));

    assertNotNull(table.addressBan("203.0.113.1"));
    assertNotNull(table.addressBan("203.0.113.255"));
    assertNotNull(table.addressBan("::ffff:203.0.113.9"), "an IPv4-mapped IPv6 address");
    assertNull(table.addressBan("203.0.114.1"));
    assertNull(table.addressBan("203.0.112.255"));
    assertNull(table.addressBan("2001:db8::1"));
  }

  @Test
  void aBlockWithAPrefixInsideAByteMatchesByBits() {
    table.put(ban(BanTarget.ip("10.0.0.0/13"), 60_000));

    assertNotNull(table.addressBan("10.7.255.255"));
    assertNull(table.addressBan("10.8.0.0"));
  }

  @Test
  void aSingleAddressAndAnIpv6BlockAreBansToo() {
    table.put(ban(BanTarget.ip("198.51.100.7"), 60_000));
    table.put(ban(BanTarget.ip("2001:db8:aa::/48"), 60_000));

    assertNotNull(table.addressBan("198.51.100.7"));
    assertNull(table.addressBan("198.51.100.8"));
    assertNotNull(table.addressBan("2001:db8:aa:1::5"));
    assertNull(table.addressBan("2001:db8:ab::5"));
  }

  @Test
  void theCanonicalFormClearsHostBitsAndRefusesNamesAndBadPrefixes() {
    assertEquals("10.0.0.0/8", BanTable.canonical(BanTarget.ip("10.1.2.3/8")).ip());
    assertEquals("192.0.2.1/32", BanTable.canonical(BanTarget.ip("192.0.2.1")).ip());
    assertEquals(
        "2001:db8:0:0:0:0:0:0/32", BanTable.canonical(BanTarget.ip("2001:db8::1/32")).ip());
    for (String bad :
        new String[] {"localhost", "10.1", "256.0.0.1", "10.0.0.0/33", "10.0.0.0/x", "::1/129"}) {
      assertThrows(
          IllegalArgumentException.class, () -> BanTable.canonical(BanTarget.ip(bad)), bad);
    }
  }

  @Test
  void theListShowsTheBansInForceSoonestToEndFirstAndLiftingRemovesOne() {
    table.put(ban(BanTarget.uid("late"), 90_000));
    table.put(ban(BanTarget.ip("192.0.2.0/24"), 30_000));
    table.put(ban(BanTarget.uid("gone"), 10_000));
    now.set(T0 + 20_000);

    assertEquals(
        List.of("ip:192.0.2.0/24", "uid:late"),
        table.list().stream().map(ban -> ban.target().key()).toList());

    assertTrue(table.remove(BanTarget.ip("192.0.2.0/24")));
    assertNull(table.addressBan("192.0.2.1"));
    assertFalse(table.remove(BanTarget.ip("192.0.2.0/24")), "nothing left to lift");
    assertFalse(table.remove(BanTarget.uid("gone")), "an expired ban is not lifted");
    assertEquals(List.of("uid:late"), table.list().stream().map(b -> b.target().key()).toList());
  }

  @Test
  void aReloadReportsOnlyTargetsThatWereNotBannedBefore() {
    Ban alice = ban(BanTarget.uid("alice"), 60_000);
    assertTrue(table.replaceAll(List.of(alice)), "a new target must be looked for");
    assertFalse(table.replaceAll(List.of(alice)), "the same bans again");
    assertFalse(table.replaceAll(List.of(ban(BanTarget.uid("alice"), 120_000))), "an extended ban");
    assertTrue(table.replaceAll(List.of(ban(BanTarget.ip("192.0.2.1"), 60_000))));
    assertNull(table.uidBan("alice"), "a ban missing from the reload is gone");
  }

  @Test
  void placingABanReportsWhetherItsTargetIsNewlyBanned() {
    assertTrue(table.put(ban(BanTarget.uid("alice"), 10_000)));
    assertFalse(table.put(ban(BanTarget.uid("alice"), 60_000)));
    now.set(T0 + 70_000);
    assertTrue(table.put(ban(BanTarget.uid("alice"), 80_000)), "the earlier ban had ended");
  }

  private static Ban ban(BanTarget target, long forMs) {
    return new Ban(target, T0 + forMs, null);
  }
}
