package io.courier.protocol;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a property on random cases: a new seed per run, named in the failure and replayed with
 * {@code -Dcourier.cases.seed=N}; sizes grow from 0 to {@link #MAX_SIZE} over the tries, so the
 * first failing case is usually a small one.
 *
 * @implNote jqwik was the planned runner. Its releases since 1.10 ask not to be used by AI coding
 *     agents and print an instruction addressed to them into every test run; this project is
 *     developed with such agents, so the little needed here is written out instead. Shrinking was
 *     left out: the growing sizes keep the first failure small, and the case is printed whole.
 */
public final class RandomCases {
  public static final String SEED_PROPERTY = "courier.cases.seed";
  public static final int MAX_SIZE = 100;

  /** Makes one case; {@code size} (0 to {@link #MAX_SIZE}) bounds how large it may be. */
  @FunctionalInterface
  public interface Generator<T> {
    T next(Random random, int size);
  }

  /** Throws (an assertion or anything else) when the case breaks the property. */
  @FunctionalInterface
  public interface Property<T> {
    void check(T value) throws Exception;
  }

  private RandomCases() {}

  public static <T> void forAll(int tries, Generator<T> generator, Property<T> property) {
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
