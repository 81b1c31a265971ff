package io.courier.bridge;

import io.courier.contract.Addresses;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The business API as bridge permissions (docs/event-bus.md, the business API):
 *
 * <ul>
 *   <li>inbound, a business may send to {@code courier.s2c}, {@code courier.s2c.multi}, {@code
 *       courier.presence} and the group requests {@code courier.group.*} (the replies come back to
 *       it, addressed to its own {@code replyAddress}), and to the reply address of any message the
 *       bridge delivered to it: the bridge allows those itself, once each, from its per-connection
 *       table of received messages, not from these lists;
 *   <li>outbound, a business may register for {@code courier.c2s.<appcode>.<msgtype>} and {@code
 *       courier.receipts}.
 * </ul>
 *
 * Everything else is refused with {@code access_denied}, the operator controls ({@code
 * courier.admin.*}) among them: they would let a business ban or kick any user of any app;
 * operators use the admin listener, and a trusted service in the cluster the event bus itself.
 * These lists bound what every business may do: the guard checks them ({@link #maySend}, {@link
 * #mayRegister}) before a business's own permissions ({@link Business}), and the bridge enforces
 * them again.
 */
final class BridgePolicy {
  private static final List<PermittedOptions> INBOUND =
      List.of(
          new PermittedOptions().setAddress(Addresses.S2C),
          new PermittedOptions().setAddress(Addresses.S2C_MULTI),
          new PermittedOptions().setAddress(Addresses.PRESENCE),
          new PermittedOptions().setAddress(Addresses.GROUP_CREATE),
          new PermittedOptions().setAddress(Addresses.GROUP_MEMBERS),
          new PermittedOptions().setAddress(Addresses.GROUP_CLOSE),
          new PermittedOptions().setAddress(Addresses.GROUP_INFO));

  /** {@code courier\.c2s\..+}: at least one character after the prefix. */
  private static final List<PermittedOptions> OUTBOUND =
      List.of(
          new PermittedOptions().setAddressRegex(Pattern.quote(Addresses.C2S_PREFIX) + ".+"),
          new PermittedOptions().setAddress(Addresses.RECEIPTS));

  private static final List<Pattern> OUTBOUND_PATTERNS =
      OUTBOUND.stream()
          .map(
              permitted ->
                  permitted.getAddress() != null
                      ? Pattern.compile(Pattern.quote(permitted.getAddress()))
                      : Pattern.compile(permitted.getAddressRegex()))
          .toList();

  private BridgePolicy() {}

  /**
   * Options for the internal bridge. Every entry has an address or a regex: the bridge reads an
   * entry with neither as "permit all".
   */
  static BridgeOptions bridgeOptions() {
    BridgeOptions options = new BridgeOptions();
    INBOUND.forEach(permitted -> options.addInboundPermitted(new PermittedOptions(permitted)));
    OUTBOUND.forEach(permitted -> options.addOutboundPermitted(new PermittedOptions(permitted)));
    return options;
  }

  /** Whether {@code address} is one a business may send requests to. */
  static boolean maySend(String address) {
    return INBOUND.stream().anyMatch(permitted -> permitted.getAddress().equals(address));
  }

  /**
   * Whether the bridge accepts a register for {@code address}: its own rule (equal address, or full
   * regex match).
   */
  static boolean mayRegister(String address) {
    return OUTBOUND_PATTERNS.stream().anyMatch(pattern -> pattern.matcher(address).matches());
  }
}
