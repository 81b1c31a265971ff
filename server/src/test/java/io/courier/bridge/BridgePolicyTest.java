package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.contract.Addresses;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BridgePolicy}: the business API, and nothing that the bridge would read as "permit all".
 */
class BridgePolicyTest {

  /** The operator controls are not among them: one shared secret would let any business ban. */
  @Test
  void inboundIsExactlyTheBusinessRequestAddresses() {
    BridgeOptions options = BridgePolicy.bridgeOptions();
    assertEquals(
        List.of(
            Addresses.S2C,
            Addresses.S2C_MULTI,
            Addresses.PRESENCE,
            Addresses.GROUP_CREATE,
            Addresses.GROUP_MEMBERS,
            Addresses.GROUP_CLOSE,
            Addresses.GROUP_INFO),
        options.getInboundPermitteds().stream().map(PermittedOptions::getAddress).toList());
  }

  @Test
  void everyEntryHasAnAddressOrARegex() {
    BridgeOptions options = BridgePolicy.bridgeOptions();
    for (PermittedOptions permitted : options.getInboundPermitteds()) {
      assertTrue(permitted.getAddress() != null || permitted.getAddressRegex() != null);
    }
    for (PermittedOptions permitted : options.getOutboundPermitteds()) {
      assertTrue(permitted.getAddress() != null || permitted.getAddressRegex() != null);
    }
  }

  @Test
  void registersAreC2sAddressesAndReceipts() {
    for (String ok :
        List.of("courier.c2s.101.5", "courier.c2s.1", "courier.c2s.x.y.z", Addresses.RECEIPTS)) {
      assertTrue(BridgePolicy.mayRegister(ok), ok);
    }
    for (String no :
        List.of(
            "courier.c2s.",
            "courier.c2s",
            "courierXc2s.1.1",
            "courier.c2sX1",
            Addresses.S2C,
            Addresses.PRESENCE,
            Addresses.LOGIN,
            Addresses.ADMIN_BAN,
            Addresses.BANS_CHANGED,
            "courier.receipts.1",
            "x.courier.receipts",
            "")) {
      assertFalse(BridgePolicy.mayRegister(no), no);
    }
  }
}
