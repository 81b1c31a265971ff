package io.courier.message;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Trace ids (docs/protocol.md section 12): a client's or business's own logid is kept when it is
 * 8–64 chars of {@code [A-Za-z0-9_-]}; otherwise the platform makes one — 16 random hex digits,
 * enough to be unique over the retention of traces and logs without coordination between nodes.
 */
public final class Logid {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{8,64}");

  private Logid() {}

  /** {@code given} when it is a valid logid, else a new one. */
  public static String keepOrCreate(Object given) {
    if (given instanceof String && VALID.matcher((String) given).matches()) {
      return (String) given;
    }
    return create();
  }

  public static String create() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
