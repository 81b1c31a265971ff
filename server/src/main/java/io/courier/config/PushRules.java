package io.courier.config;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per receiver appcode and msgtype, the {@link PushRule} of offline push ({@code push.rules}): a
 * msgtype listed for its appcode has its own rule, the others the appcode's {@code default}; an
 * appcode not listed, or listed without a default, wakes ({@link PushRule#WAKE}): only apps that
 * registered a device are ever notified.
 */
public final class PushRules {
  private static final PushRules ALL_WAKE = new PushRules(Map.of());

  /** The rules of one appcode: its default and its msgtypes' own. */
  public record AppRules(PushRule fallback, SortedMap<Integer, PushRule> byMsgtype) {
    public AppRules {
      byMsgtype = Collections.unmodifiableSortedMap(new TreeMap<>(byMsgtype));
    }

    PushRule of(int msgtype) {
      return byMsgtype.getOrDefault(msgtype, fallback);
    }
  }

  private final SortedMap<Integer, AppRules> byAppcode;

  public PushRules(Map<Integer, AppRules> byAppcode) {
    this.byAppcode = Collections.unmodifiableSortedMap(new TreeMap<>(byAppcode));
  }

  /** Every message wakes its receiver's app, without a preview. */
  public static PushRules allWake() {
    return ALL_WAKE;
  }

  /** appcode → its rules, in ascending order of appcode. */
  public SortedMap<Integer, AppRules> byAppcode() {
    return byAppcode;
  }

  /** The rule for a message of {@code msgtype} to a receiver of {@code appcode}. */
  public PushRule of(int appcode, int msgtype) {
    AppRules rules = byAppcode.get(appcode);
    return rules == null ? PushRule.WAKE : rules.of(msgtype);
  }
}
