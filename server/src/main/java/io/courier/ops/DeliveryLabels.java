package io.courier.ops;

import io.courier.config.MetricMsgtypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code appcode} and {@code msgtype} values that delivery counts are kept under: per
 * configured receiver appcode, each configured msgtype ({@code ops.metricMsgtypes}) and {@code
 * other} for the rest; and ({@code other}, {@code other}) for an appcode that is not configured.
 * The pairs are numbered from 0 ("slots": a pair's index in the sorted keys), so the series and
 * arrival keys of a node are bounded by the configuration, whatever msgtypes clients send.
 *
 * @implNote {@link #slot} runs for every counted step of every message, from every event loop: it
 *     is a binary search over one sorted {@code long[]} of {@code appcode << 17 | msgtype} (msgtype
 *     {@code 0x10000} standing for the appcode's {@code other}), without allocation. Rejected: a
 *     map keyed by a record (a key object per message), and a table indexed by appcode and msgtype
 *     (2<sup>32</sup> entries).
 */
public final class DeliveryLabels {
  public static final String OTHER = "other";

  private static final int MSGTYPE_BITS = 17;
  private static final int OTHER_MSGTYPE = 1 << 16;

  private final long[] keys;
  private final String[] appcodeLabels;
  private final String[] msgtypeLabels;
  private final int unconfigured;

  /**
   * @param appcodes the configured appcodes
   * @param msgtypes the msgtypes counted on their own, per appcode (an appcode not in {@code
   *     appcodes} is ignored)
   */
  public DeliveryLabels(Set<Integer> appcodes, MetricMsgtypes msgtypes) {
    List<String> appcodeNames = new ArrayList<>();
    List<String> msgtypeNames = new ArrayList<>();
    List<Long> keyList = new ArrayList<>();
    for (int appcode : new TreeSet<>(appcodes)) {
      for (int msgtype : msgtypes.of(appcode)) {
        keyList.add(key(appcode, msgtype));
        appcodeNames.add(Integer.toString(appcode));
        msgtypeNames.add(Integer.toString(msgtype));
      }
      keyList.add(key(appcode, OTHER_MSGTYPE));
      appcodeNames.add(Integer.toString(appcode));
      msgtypeNames.add(OTHER);
    }
    // appcodes and msgtypes were walked in ascending order, so the keys are sorted already
    keys = keyList.stream().mapToLong(Long::longValue).toArray();
    unconfigured = keys.length;
    appcodeNames.add(OTHER);
    msgtypeNames.add(OTHER);
    appcodeLabels = appcodeNames.toArray(String[]::new);
    msgtypeLabels = msgtypeNames.toArray(String[]::new);
  }

  /** The slot that a message for {@code appcode} of type {@code msgtype} is counted in. */
  public int slot(int appcode, int msgtype) {
    int found = Arrays.binarySearch(keys, key(appcode, msgtype));
    if (found < 0) {
      found = Arrays.binarySearch(keys, key(appcode, OTHER_MSGTYPE));
    }
    return found < 0 ? unconfigured : found;
  }

  /** The number of slots: slots are {@code 0 .. slots() - 1}. */
  public int slots() {
    return appcodeLabels.length;
  }

  /** The {@code appcode} label of {@code slot}: the appcode's number, or {@code other}. */
  public String appcode(int slot) {
    return appcodeLabels[slot];
  }

  /** The {@code msgtype} label of {@code slot}: the msgtype's number, or {@code other}. */
  public String msgtype(int slot) {
    return msgtypeLabels[slot];
  }

  /**
   * Whether messages of type {@code msgtype} are counted under their own number: for {@code
   * appcode}, or for some appcode when it is null.
   */
  public boolean countsApart(Integer appcode, int msgtype) {
    String label = Integer.toString(msgtype);
    for (int slot = 0; slot < unconfigured; slot++) {
      if (msgtypeLabels[slot].equals(label)
          && (appcode == null || appcodeLabels[slot].equals(appcode.toString()))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code appcode} is a configured appcode. */
  public boolean configured(int appcode) {
    return Arrays.binarySearch(keys, key(appcode, OTHER_MSGTYPE)) >= 0;
  }

  private static long key(int appcode, int msgtype) {
    return ((long) appcode << MSGTYPE_BITS) | msgtype;
  }
}
