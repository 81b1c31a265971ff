package io.courier.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address block: an IPv4 or IPv6 address and a prefix length ({@code 203.0.113.0/24}, {@code
 * 2001:db8::/32}); a lone address is a block of one ({@code /32}, {@code /128}). An IPv4 block
 * matches IPv4 addresses and IPv4-mapped IPv6 ones, which Java reads as IPv4.
 *
 * @implNote Only literals are parsed: an IPv4 text must be four decimal octets and an IPv6 text
 *     must hold a colon before it reaches {@link InetAddress#getByName}, which would otherwise look
 *     a host name up in DNS (and accepts shorthands such as {@code 10.1}).
 */
public final class Cidr {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses {@code text}; the host bits are cleared, so {@code 10.1.2.3/8} is {@code 10.0.0.0/8}.
   *
   * @throws IllegalArgumentException when it is not an address or a block
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(host);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "ip must be an IPv4 or IPv6 address, optionally with a /prefix: " + text);
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException(
            "the prefix of " + text + " must be 0-" + bytes.length * 8);
      }
    }
    for (int bit = prefix; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new Cidr(bytes, prefix);
  }

  /** The bytes of a numeric address, or null when {@code host} is not one. */
  static byte[] literal(String host) {
    if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether the address {@code bytes} (4 or 16 of them) is in this block. */
  public boolean contains(byte[] bytes) {
    if (bytes.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff00 >>> rest) & 0xff;
    return (bytes[whole] & mask) == (network[whole] & 0xff);
  }

  /** The canonical text, {@code address/prefix}, as bans are listed. */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
