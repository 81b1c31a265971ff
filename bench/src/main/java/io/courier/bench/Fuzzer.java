package io.courier.bench;

import java.util.Random;
import java.util.function.Supplier;

/**
 * Random inputs for one component and the properties every input must keep ({@code bench fuzz}).
 * The same generators and properties as the component's property tests (FrameDecoderProperties,
 * BodyParserProperties, RichTextProperties), which the bench cannot load: they are test classes of
 * other modules.
 *
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
