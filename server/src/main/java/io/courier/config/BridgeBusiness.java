package io.courier.config;

import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * One business of {@code bridge.businesses}: how it proves who it is on the bridge, and what it may
 * do there ({@code docs/event-bus.md} section 8.6). The bridge decides with it ({@code
 * io.courier.bridge.Business}).
 *
 * @param name its name in the configuration, in refusal metrics and in logs
 * @param secret the secret its frames carry in their {@code courier-secret} header, or null
 * @param certificate the subject of the client certificate that identifies it on a TLS bridge, or
 *     null
 * @param appcodes the appcodes it owns, or null for all
 * @param send the addresses it may send requests to
 * @param register the addresses it may register
 */
public record BridgeBusiness(
    String name,
    String secret,
    X500Principal certificate,
    Set<Integer> appcodes,
    List<AddressPattern> send,
    List<AddressPattern> register) {

  /** Names the bridge gives its own businesses, which a configured one may not take. */
  public static final Set<String> RESERVED_NAMES = Set.of("shared", "open");

  @Override
  public String toString() {
    return name;
  }
}
