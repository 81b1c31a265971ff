package io.courier.bench;

import java.util.Random;
import java.util.function.Supplier;

/**
 * Random inputs for one component and the properties every input must keep: the one home of each
 * target's generators and checks, run long by {@code bench fuzz} (FuzzBench) and briefly, with a
 * fresh seed, by the component's property tests in this module's suite (FrameDecoderProperties,
 * BodyParserProperties, RichTextProperties, through RandomCases).
 *
 * @implNote They live in the bench's main code, not in the protocol and server test-jars: the bench
 *     is a tool, not the product, and may carry them, while the test-jar route would put those
 *     modules' whole test trees in the bench's runtime and forbid JUnit in the checks. The price is
 *     that the property tests run in the bench module's suite, against the protocol and server
 *     classes, instead of in the suites of the modules they test.
 * @param <T> one input
 */
interface Fuzzer<T> {

  /** One input; {@code size} (0 to 100) bounds how large it may be. */
  T next(Random random, int size);

  /** Throws when the input breaks a property: {@link Broken}, or whatever the component threw. */
  void check(T input);

  /** The input's bytes, printed in hex when it breaks a property. */
  byte[] bytes(T input);

  /** What else it takes to replay the input, e.g. where the stream was cut; "" if nothing. */
  String detail(T input);

  /** A property that does not hold; the message says which and how. */
  final class Broken extends RuntimeException {
    Broken(String message) {
      super(message);
    }
  }

  static void require(boolean holds, Supplier<String> what) {
    if (!holds) {
      throw new Broken(what.get());
    }
  }
}
