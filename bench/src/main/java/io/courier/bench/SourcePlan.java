package io.courier.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Which loopback source address each client connection of one bench process binds to.
 *
 * <p>Loopback gives about 28,000 ephemeral ports per (source address, destination) pair, so
 * connections are spread over 127.0.0.2, 127.0.0.3 … with at most {@code perAddress} on each. The
 * address of a connection depends on its <em>global</em> index, {@code uidOffset + i}: several
 * processes started with disjoint {@code --uid-offset}s therefore share out the addresses between
 * them instead of all piling onto 127.0.0.2.
 *
 * <p>One process may hold at most 20,000 file descriptors on this machine (a hard limit), so a plan
 * for more than {@link #MAX_PER_PROCESS} connections is refused: the rest of the descriptors are
 * the JVM's own (jars, epoll, pipes) and the bench's bridge connections.
 */
public final class SourcePlan {
  /**
   * Connections one bench process may open: 20,000 descriptors minus a margin for the JVM's own.
   */
  public static final int MAX_PER_PROCESS = 19_000;

  /** Default connections per source address: below the ~28,000 ephemeral ports of one address. */
  public static final int DEFAULT_PER_ADDRESS = 25_000;

  /**
   * Default first source address (127.0.0.1 stays free for the node's own listeners and other
   * tools).
   */
  public static final String DEFAULT_BASE = "127.0.0.2";

  /** Connections {@code [first, first + count)} of this process bind to {@code address}. */
  public record Slice(String address, int first, int count) {}

  private final int base;
  private final int uidOffset;
  private final int count;
  private final int perAddress;

  private SourcePlan(int base, int uidOffset, int count, int perAddress) {
    this.base = base;
    this.uidOffset = uidOffset;
    this.count = count;
    this.perAddress = perAddress;
  }

  /**
   * A plan for {@code count} connections of a process whose first connection has global index
   * {@code uidOffset}.
   *
   * @throws IllegalArgumentException with a message for the user when {@code count} exceeds {@link
   *     #MAX_PER_PROCESS}, or an address would leave 127.0.0.0/8
   */
  public static SourcePlan of(String baseAddress, int uidOffset, int count, int perAddress) {
    checkCount(count);
    if (uidOffset < 0) {
      throw new IllegalArgumentException("--uid-offset must be >= 0, got " + uidOffset);
    }
    if (perAddress < 1) {
      throw new IllegalArgumentException("--per-source must be >= 1, got " + perAddress);
    }
    int base = parseLoopback(baseAddress);
    SourcePlan plan = new SourcePlan(base, uidOffset, count, perAddress);
    if (count > 0) {
      long last = (long) base + ((long) uidOffset + count - 1) / perAddress;
      if (last > 0x7FFFFFFEL) {
        throw new IllegalArgumentException(
            "source addresses from "
                + baseAddress
                + " with --uid-offset "
                + uidOffset
                + " would leave 127.0.0.0/8");
      }
    }
    return plan;
  }

  /** Refuses more connections than one process can hold, saying how to get more. */
  public static void checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("the number of connections must be >= 0, got " + count);
    }
    if (count > MAX_PER_PROCESS) {
      throw new IllegalArgumentException(
          String.format(
              "%,d connections asked, but one process may open at most %,d (the machine allows 20,000 file"
                  + " descriptors per process). Run several bench processes side by side, each with at most %,d"
                  + " and its own --uid-offset (0, %d, %d, ...) so that their uids and source ports do not collide.",
              count, MAX_PER_PROCESS, MAX_PER_PROCESS, MAX_PER_PROCESS, 2 * MAX_PER_PROCESS));
    }
  }

  /** The source address of connection {@code i} of this process (0-based). */
  public String addressOf(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("connection " + i + " of " + count);
    }
    return format(base + (int) (((long) uidOffset + i) / perAddress));
  }

  /** The plan as runs of consecutive connections per address, in order. */
  public List<Slice> slices() {
    List<Slice> slices = new ArrayList<>();
    int i = 0;
    while (i < count) {
      long global = (long) uidOffset + i;
      long nextBoundary = (global / perAddress + 1) * perAddress;
      int run = (int) Math.min(count - i, nextBoundary - global);
      slices.add(new Slice(addressOf(i), i, run));
      i += run;
    }
    return slices;
  }

  public int count() {
    return count;
  }

  /**
   * The address as an int, checked to be an IPv4 literal in 127.0.0.0/8 (loopback only, no DNS).
   */
  static int parseLoopback(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    int value = 0;
    for (String part : parts) {
      int octet;
      try {
        octet = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      if (octet < 0 || octet > 255 || part.length() > 3 || part.startsWith("+")) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      value = value << 8 | octet;
    }
    if (value >>> 24 != 127) {
      throw new IllegalArgumentException(
          "the bench only uses loopback (127.0.0.0/8), not " + address);
    }
    return value;
  }

  static String format(int address) {
    return (address >>> 24)
        + "."
        + (address >>> 16 & 0xFF)
        + "."
        + (address >>> 8 & 0xFF)
        + "."
        + (address & 0xFF);
  }
}
