package io.courier.config;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per receiver appcode, the msgtypes that the delivery metrics and the arrival report count under
 * their own number; every other msgtype of that appcode is counted as {@code other}. The list is
 * the operator's, never the clients': a client sending any number of distinct msgtypes adds no
 * series.
 */
public final class MetricMsgtypes {
  private static final MetricMsgtypes NONE = new MetricMsgtypes(Map.of());

  private final Map<Integer, SortedSet<Integer>> byAppcode;

  public MetricMsgtypes(Map<Integer, ? extends Set<Integer>> byAppcode) {
    Map<Integer, SortedSet<Integer>> copy = new TreeMap<>();
    byAppcode.forEach(
        (appcode, msgtypes) ->
            copy.put(appcode, Collections.unmodifiableSortedSet(new TreeSet<>(msgtypes))));
    this.byAppcode = Collections.unmodifiableMap(copy);
  }

  /** No msgtype of any appcode is counted on its own. */
  public static MetricMsgtypes none() {
    return NONE;
  }

  /** appcode → its counted msgtypes, both in ascending order; appcodes not listed count none. */
  public Map<Integer, SortedSet<Integer>> byAppcode() {
    return byAppcode;
  }

  /** The msgtypes of {@code appcode} counted on their own, in ascending order; maybe empty. */
  public SortedSet<Integer> of(int appcode) {
    return byAppcode.getOrDefault(appcode, Collections.emptySortedSet());
  }
}
