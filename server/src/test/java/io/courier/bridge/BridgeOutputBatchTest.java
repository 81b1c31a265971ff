package io.courier.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

/** {@link OutputBatch}: frames gathered in order into one direct buffer, handed over once. */
class BridgeOutputBatchTest {
  private final OutputBatch batch = new OutputBatch(new UnpooledByteBufAllocator(true));

  @Test
  void gathersFramesInOrderAndSaysWhenABatchStarts() {
    Buffer big = Buffer.buffer("y".repeat(5000));
    assertTrue(batch.add(Buffer.buffer("ab")));
    assertFalse(batch.add(Buffer.buffer("cd").slice(1, 2)));
    assertFalse(batch.add(big));
    assertEquals(5003, batch.size());

    ByteBuf taken = batch.take();

    assertTrue(taken.isDirect());
    assertEquals(Buffer.buffer("abd").appendBuffer(big), BufferInternal.buffer(taken).copy());
    taken.release();
    assertEquals(0, batch.size());
    assertNull(batch.take());
    assertTrue(batch.add(Buffer.buffer("e")), "the next frame starts a new batch");
  }

  @Test
  void discardReleasesWhatIsGathered() {
    batch.add(Buffer.buffer("abc"));
    ByteBuf gathered = batch.take();
    batch.add(Buffer.buffer("x"));
    gathered.release();

    batch.discard();

    assertEquals(0, batch.size());
    assertNull(batch.take());
  }
}
