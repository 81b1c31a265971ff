package io.courier.push;

import static io.courier.push.PushFixtures.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One notification per receiver per window: the first at once, the last of a burst at the end. */
class CollapserTest {
  private final Collapser collapser = new Collapser(true);

  @Test
  void theFirstTriggerIsSentAndTheNextOnesWaitForTheWindowsEnd() {
    Trigger first = trigger(1, "alice");
    Trigger second = trigger(2, "alice");
    Trigger third = trigger(3, "alice");

    assertTrue(collapser.offer(first).send());
    Collapser.Decision held = collapser.offer(second);
    Collapser.Decision replacing = collapser.offer(third);

    assertFalse(held.send());
    assertNull(held.collapsed());
    assertFalse(replacing.send());
    assertSame(second, replacing.collapsed(), "the second folds into the third");
    assertSame(third, collapser.windowEnded(first.receiver()), "the last is sent at the end");
    assertNull(collapser.windowEnded(first.receiver()), "a quiet window forgets the receiver");
    assertEquals(0, collapser.size());
    assertTrue(collapser.offer(trigger(4, "alice")).send(), "and its next trigger goes at once");
  }

  @Test
  void receiversHaveWindowsOfTheirOwn() {
    assertTrue(collapser.offer(trigger(1, "alice")).send());
    assertTrue(collapser.offer(trigger(2, "bob")).send());
    assertFalse(collapser.offer(trigger(3, "alice")).send());
    assertEquals(2, collapser.size());
  }

  @Test
  void withoutAWindowEveryTriggerIsSent() {
    Collapser none = new Collapser(false);

    assertTrue(none.offer(trigger(1, "alice")).send());
    assertTrue(none.offer(trigger(2, "alice")).send());
    assertEquals(0, none.size());
  }
}
