package io.courier.bench;

import static io.courier.bench.RandomCases.forAll;

import org.junit.jupiter.api.Test;

/** The body parser against an independent reading of docs/protocol.md 6.1: see BodyFuzzer. */
class BodyParserProperties {
  private static final int TRIES = 400;

  @Test
  void arbitraryBytesGetTheAnswerTheRulesGive() {
    forAll(TRIES, BodyFuzzer::arbitraryBytes, new BodyFuzzer());
  }

  @Test
  void jsonishTextGetsTheAnswerTheRulesGive() {
    forAll(TRIES, BodyFuzzer::jsonish, new BodyFuzzer());
  }
}
