package io.courier.bench;

import static io.courier.bench.RandomCases.forAll;

import org.junit.jupiter.api.Test;

/** The sanitizer never throws, is idempotent and its output safe: see RichTextFuzzer. */
class RichTextProperties {
  private static final int TRIES = 1000;

  @Test
  void anyStringSanitizesSafelyAndIdempotently() {
    forAll(TRIES, RichTextFuzzer::anyString, new RichTextFuzzer());
  }

  @Test
  void htmlishTextSanitizesSafelyAndIdempotently() {
    forAll(TRIES, RichTextFuzzer::htmlish, new RichTextFuzzer());
  }
}
