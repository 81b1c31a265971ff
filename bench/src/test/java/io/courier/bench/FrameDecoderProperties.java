package io.courier.bench;

import static io.courier.bench.RandomCases.forAll;

import org.junit.jupiter.api.Test;

/**
 * The frame decoder never throws, reports the same events however the stream is cut, stops at its
 * first violation, and never holds more than a header and a maximum body: see DecoderFuzzer.
 */
class FrameDecoderProperties {
  private static final int TRIES = 400;

  @Test
  void arbitraryBytesCutAnywhereGiveTheSameEventsWithinTheBound() {
    forAll(TRIES, DecoderFuzzer::arbitraryBytes, new DecoderFuzzer());
  }

  @Test
  void framesFollowedByBadInputCutAnywhereGiveTheExpectedEvents() {
    forAll(TRIES, DecoderFuzzer::framesThenBadInput, new DecoderFuzzer());
  }

  @Test
  void validFramesCutAnywhereDecodeToTheSameFramesAndLeaveNothingBuffered() {
    forAll(TRIES, DecoderFuzzer::validFrames, new DecoderFuzzer());
  }

  @Test
  void anOversizeLengthIsRefusedAsSoonAsItsHeaderIsComplete() {
    forAll(TRIES, DecoderFuzzer::framesThenOversize, new DecoderFuzzer());
  }
}
