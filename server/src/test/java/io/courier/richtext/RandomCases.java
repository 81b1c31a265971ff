package io.courier.richtext;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a property on random cases: a new seed per run, named in the failure and replayed with
 * {@code -Dcourier.cases.seed=N}; sizes grow from 0 to {@link #MAX_SIZE} over the tries, so the
 * first failing case is usually a small one.
 *
 * @implNote The same as the protocol module's RandomCases, whose test classes this module cannot
 *     see; why no property-testing library is used is told there.
 */
final class RandomCases {
  static final String SEED_PROPERTY = "courier.cases.seed";
  static final int MAX_SIZE = 100;

  /** Makes one case; {@code size} (0 to {@link #MAX_SIZE}) bounds how large it may be. */
  @FunctionalInterface
  interface Generator<T> {
    T next(Random random, int size);
  }

  /** Throws (an assertion or anything else) when the case breaks the property. */
  @FunctionalInterface
  interface Property<T> {
    void check(T value) throws Exception;
  }

  private RandomCases() {}

  static <T> void forAll(int tries, Generator<T> generator, Property<T> property) {
    String fixed = System.getProperty(SEED_PROPERTY);
    long seed = fixed != null ? Long.parseLong(fixed) : ThreadLocalRandom.current().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < tries; i++) {
      int size = tries == 1 ? MAX_SIZE : i * MAX_SIZE / (tries - 1);
      T value = generator.next(random, size);
      try {
        property.check(value);
      } catch (Exception | AssertionError e) {
        throw new AssertionError(
            String.format(
                "case %d of %d (size %d) failed; replay with -D%s=%d%n  case: %s%n  %s",
                i + 1, tries, size, SEED_PROPERTY, seed, value, e),
            e);
      }
    }
  }
}
