package io.courier.bridge;

import io.courier.config.AddressPattern;
import io.courier.config.BridgeBusiness;
import io.courier.contract.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * What one business may do on the bridge (docs/event-bus.md section 8.10), decided without a
 * network: within the business API ({@link BridgePolicy}), send requests to the addresses its
 * {@code send} patterns cover and register those its {@code register} patterns cover, both only for
 * the appcodes it owns; receive receipts and presence sessions of those appcodes only.
 *
 * <p>The appcode of a request is its body's {@code to_appcode} ({@code courier.s2c}, {@code
 * courier.s2c.multi}); of a registration, the {@code <appcode>} of {@code
 * courier.c2s.<appcode>.<msgtype>}; of a receipt, its {@code to_appcode}; of a presence session,
 * its {@code appcode}. A business that owns every appcode ({@code "*"}, and the businesses of
 * {@code bridge.secret} and of an open bridge) is not checked for appcodes at all, so what its
 * requests hold is routing's to judge, as before businesses existed.
 *
 * @implNote A {@code to_appcode} that is not a JSON integer is refused for a business with appcodes
 *     rather than passed on for routing to answer 400: passing it would require this class to know
 *     exactly which values routing reads as which appcode, and the strict rule is the safe one.
 */
final class Business {
  private static final String TO_APPCODE = "to_appcode";

  private final String name;
  private final byte[] secret;
  private final X500Principal certificate;
  private final Set<Integer> appcodes;
  private final List<AddressPattern> send;
  private final List<AddressPattern> register;

  private Business(
      String name,
      String secret,
      X500Principal certificate,
      Set<Integer> appcodes,
      List<AddressPattern> send,
      List<AddressPattern> register) {
    this.name = name;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.certificate = certificate;
    this.appcodes = appcodes;
    this.send = send;
    this.register = register;
  }

  /** The business of a bridge without any credential configured: the whole business API. */
  static Business open() {
    return new Business("open", null, null, null, null, null);
  }

  /** The business of {@code bridge.secret}: the whole business API, for every appcode. */
  static Business shared(String secret) {
    return new Business("shared", secret, null, null, null, null);
  }

  static Business of(BridgeBusiness configured) {
    return new Business(
        configured.name(),
        configured.secret(),
        configured.certificate(),
        configured.appcodes(),
        configured.send(),
        configured.register());
  }

  /** Its name in the configuration, in metrics and in logs. */
  String name() {
    return name;
  }

  /** Whether {@code given} is its secret; compared in constant time. */
  boolean hasSecret(String given) {
    return secret != null
        && given != null
        && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a client certificate with {@code subject} identifies it. */
  boolean hasCertificate(X500Principal subject) {
    return certificate != null && certificate.equals(subject);
  }

  /**
   * Whether it may send to {@code address}, the body's {@code to_appcode} being {@code toAppcode}
   * (null when absent or not a 32-bit JSON integer); null when it may.
   */
  Refusal send(String address, Integer toAppcode) {
    if (address.startsWith(Addresses.REPLY_PREFIX)) {
      // a reply: the bridge permits it only for the messages this connection received, once each,
      // from its own per-connection table
      return null;
    }
    if (!BridgePolicy.maySend(address)) {
      return Refusal.denied(Rule.API);
    }
    if (!covered(send, address)) {
      return Refusal.denied(Rule.SEND);
    }
    boolean pushes = address.equals(Addresses.S2C) || address.equals(Addresses.S2C_MULTI);
    if (pushes && appcodes != null && (toAppcode == null || !appcodes.contains(toAppcode))) {
      return new Refusal(GuardError.ACCESS_DENIED, Rule.APPCODES, "body." + TO_APPCODE);
    }
    return null;
  }

  /** Whether it may register (or unregister) {@code address}; null when it may. */
  Refusal register(String address) {
    if (!BridgePolicy.mayRegister(address)) {
      return Refusal.denied(Rule.API);
    }
    if (!covered(register, address)) {
      return Refusal.denied(Rule.REGISTER);
    }
    if (appcodes != null
        && address.startsWith(Addresses.C2S_PREFIX)
        && !appcodes.contains(c2sAppcode(address))) {
      return new Refusal(GuardError.ACCESS_DENIED, Rule.APPCODES, "address");
    }
    return null;
  }

  /**
   * Whether a message published or sent to {@code address} with {@code body} may reach it through
   * one of its registrations: a receipt only for an appcode it owns.
   */
  boolean receives(String address, Object body) {
    if (appcodes == null || !address.equals(Addresses.RECEIPTS)) {
      return true;
    }
    return body instanceof JsonObject receipt
        && receipt.getValue(TO_APPCODE) instanceof Integer appcode
        && appcodes.contains(appcode);
  }

  /** Whether it owns only some appcodes, and so sees only some of what the platform says. */
  boolean scoped() {
    return appcodes != null;
  }

  /**
   * The reply to its {@code courier.presence} request as it may see it: only the sessions of its
   * appcodes.
   */
  Object presence(Object reply) {
    if (appcodes == null
        || !(reply instanceof JsonObject answer)
        || !(answer.getValue("sessions") instanceof JsonArray sessions)) {
      return reply;
    }
    JsonArray owned = new JsonArray();
    for (Object session : sessions) {
      if (session instanceof JsonObject entry
          && entry.getValue("appcode") instanceof Integer appcode
          && appcodes.contains(appcode)) {
        owned.add(entry);
      }
    }
    return answer.copy().put("sessions", owned);
  }

  /** {@code patterns} cover {@code address}; null patterns cover everything. */
  private static boolean covered(List<AddressPattern> patterns, String address) {
    return patterns == null || patterns.stream().anyMatch(pattern -> pattern.matches(address));
  }

  /**
   * The appcode of {@code courier.c2s.<appcode>.<msgtype>}, or -1 when that part is not an appcode
   * as {@code Addresses.c2s} writes it (decimal, no sign, no leading zero).
   */
  static int c2sAppcode(String address) {
    int start = Addresses.C2S_PREFIX.length();
    int end = address.indexOf('.', start);
    String digits = address.substring(start, end < 0 ? address.length() : end);
    if (digits.isEmpty() || digits.length() > 5 || digits.charAt(0) == '0') {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(digits);
  }

  @Override
  public String toString() {
    return name;
  }
}
