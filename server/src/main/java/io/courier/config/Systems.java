package io.courier.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * User systems: the appcodes whose terminals are one user's view of one conversation list, such as
 * a user app's Android, iOS and web apps. A C2C message to {@code (uid, appcode)} reaches every
 * terminal of {@code uid} in {@code appcode}'s system, and the sender's other terminals in its own
 * system get a copy (docs/conversations.md). An appcode in no system is a system of its own: one
 * terminal, today's behaviour.
 */
public final class Systems {
  private final Map<String, SortedSet<Integer>> byName;
  private final Map<Integer, SortedSet<Integer>> byAppcode;

  /**
   * @param byName system name → its appcodes; an appcode may be in one system only
   * @throws IllegalArgumentException when an appcode is in two systems
   */
  public Systems(Map<String, ? extends Set<Integer>> byName) {
    Map<String, SortedSet<Integer>> names = new TreeMap<>();
    Map<Integer, SortedSet<Integer>> appcodes = new TreeMap<>();
    byName.forEach(
        (name, members) -> {
          SortedSet<Integer> system = Collections.unmodifiableSortedSet(new TreeSet<>(members));
          names.put(name, system);
          for (int appcode : system) {
            if (appcodes.put(appcode, system) != null) {
              throw new IllegalArgumentException("appcode " + appcode + " is in two systems");
            }
          }
        });
    this.byName = Collections.unmodifiableMap(names);
    this.byAppcode = Collections.unmodifiableMap(appcodes);
  }

  /**
   * The built-in development apps' systems: 101, 102 and 103 are the user app on Android, iOS and
   * the web, one person's three terminals; 201 (driver app) and 301 (support console) are systems
   * of their own, named here so that the configuration shows them.
   */
  public static Systems development() {
    Map<String, Set<Integer>> systems = new LinkedHashMap<>();
    systems.put("user", Set.of(101, 102, 103));
    systems.put("driver", Set.of(201));
    systems.put("support", Set.of(301));
    return new Systems(systems);
  }

  /**
   * These systems without the appcodes {@code configured} refuses: a system's appcode that is no
   * configured app is never used, and a system left with one appcode has no other terminal.
   */
  public Systems within(IntPredicate configured) {
    Map<String, Set<Integer>> kept = new LinkedHashMap<>();
    byName.forEach(
        (name, appcodes) -> {
          Set<Integer> known = new TreeSet<>();
          appcodes.stream().filter(configured::test).forEach(known::add);
          if (!known.isEmpty()) {
            kept.put(name, known);
          }
        });
    return new Systems(kept);
  }

  /** name → appcodes, both ordered. */
  public Map<String, SortedSet<Integer>> byName() {
    return byName;
  }

  /** The appcodes of {@code appcode}'s system, itself included; {@code {appcode}} if in none. */
  public SortedSet<Integer> of(int appcode) {
    SortedSet<Integer> system = byAppcode.get(appcode);
    return system != null
        ? system
        : Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(appcode)));
  }

  /** Whether {@code appcode}'s system has other appcodes: only then do terminals matter. */
  public boolean shared(int appcode) {
    SortedSet<Integer> system = byAppcode.get(appcode);
    return system != null && system.size() > 1;
  }
}
