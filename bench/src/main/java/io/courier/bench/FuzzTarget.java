package io.courier.bench;

import java.util.function.Supplier;

/** What {@code bench fuzz} feeds random input to ({@code --target}). */
enum FuzzTarget {
  DECODER("decoder", "the frame decoder", DecoderFuzzer::new),
  BODY("body", "the body parser", BodyFuzzer::new),
  RICHTEXT("richtext", "the rich-text sanitizer", RichTextFuzzer::new);

  private final String optionValue;
  private final String description;
  private final Supplier<Fuzzer<?>> fuzzer;

  FuzzTarget(String optionValue, String description, Supplier<Fuzzer<?>> fuzzer) {
    this.optionValue = optionValue;
    this.description = description;
    this.fuzzer = fuzzer;
  }

  /** The value of {@code --target}. */
  String optionValue() {
    return optionValue;
  }

  /** e.g. "the frame decoder", for the report. */
  String description() {
    return description;
  }

  Fuzzer<?> fuzzer() {
    return fuzzer.get();
  }

  /** The target named {@code value}; IllegalArgumentException naming the choices otherwise. */
  static FuzzTarget of(String value) {
    for (FuzzTarget target : values()) {
      if (target.optionValue.equals(value)) {
        return target;
      }
    }
    throw new IllegalArgumentException("must be decoder, body or richtext, got '" + value + "'");
  }
}
