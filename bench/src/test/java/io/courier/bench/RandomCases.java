package io.courier.bench;

import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a target's properties on random cases, briefly, for the test suite: a new seed per run,
 * named in the failure and replayed with {@code -Dcourier.cases.seed=N}; sizes grow from 0 to
 * {@link #MAX_SIZE} over the tries, so the first failing case is usually a small one. The failing
 * case is printed as {@code bench fuzz} prints it: its bytes in hex and what else replays it.
 *
 * @implNote jqwik was the planned runner. Its releases since 1.10 ask not to be used by AI coding
 *     agents and print an instruction addressed to them into every test run; this project is
 *     developed with such agents, so the little needed here is written out instead. Shrinking was
 *     left out: the growing sizes keep the first failure small, and the case is printed whole.
 */
final class RandomCases {
  static final String SEED_PROPERTY = "courier.cases.seed";
  static final int MAX_SIZE = 100;

  /** Makes one case; {@code size} (0 to {@link #MAX_SIZE}) bounds how large it may be. */
  @FunctionalInterface
  interface Generator<T> {
    T next(Random random, int size);
  }

  private RandomCases() {}

  /** {@code tries} cases from {@code generator}, each checked by {@code fuzzer}. */
  static <T> void forAll(int tries, Generator<T> generator, Fuzzer<T> fuzzer) {
    String fixed = System.getProperty(SEED_PROPERTY);
    long seed = fixed != null ? Long.parseLong(fixed) : ThreadLocalRandom.current().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < tries; i++) {
      int size = tries == 1 ? MAX_SIZE : i * MAX_SIZE / (tries - 1);
      T value = generator.next(random, size);
      try {
        fuzzer.check(value);
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        String detail = fuzzer.detail(value);
        throw new AssertionError(
            String.format(
                "case %d of %d (size %d) failed; replay with -D%s=%d%n  case (hex): %s%n%s  %s",
                i + 1,
                tries,
                size,
                SEED_PROPERTY,
                seed,
                HexFormat.of().formatHex(fuzzer.bytes(value)),
                detail.isEmpty() ? "" : "  " + detail + System.lineSeparator(),
                e),
            e);
      }
    }
  }
}
