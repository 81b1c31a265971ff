package io.courier.ops;

import io.courier.protocol.body.Step;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last steps this node took for any message, for the trace API: a ring of {@code capacity}
 * steps, the oldest overwritten first, none returned once older than {@code retentionMs}.
 *
 * <p>Recording is on every message's path, from every event loop, tens of thousands of times a
 * second, so it takes no lock, builds no JSON and keeps no object: a step is encoded at once (its
 * logid, node and detail fields) into a per-thread scratch buffer and copied into a circular byte
 * log; a ring of heads (sequence, time, step, where its bytes are) says which bytes are which. A
 * query (rare, an operator asking) scans the heads for the logid and decodes what matches.
 *
 * <p>The byte log holds {@value #BYTES_PER_STEP} bytes per step of capacity on average (a step with
 * two uids takes about 170, one with a session about 110); when steps are larger, the oldest go
 * sooner. Both the log and the heads are allocated in chunks as they are first written, so an idle
 * node holds almost nothing. A string longer than {@value #MAX_STRING_BYTES} bytes of UTF-8 (a
 * failure reason, say) is kept cut to that length.
 *
 * @implNote Steps kept as objects (a record and its detail closure each, with their strings) were
 *     the node's largest live set: every step outlived the young collections of its few seconds in
 *     the ring and was copied by each, and under a push load G1's young pauses went from ~10 ms
 *     without the ring to 60–170 ms with it (docs/benchmarks.md 20). Concurrency is a seqlock per
 *     head: a writer claims its head (an atomic sequence) and its bytes (an atomic position), marks
 *     the head as being written, fills it and publishes it by writing its sequence last (release);
 *     a reader reads the head between two reads of that mark and skips it if it changed, and skips
 *     a step whose bytes a later step has claimed before the reader finished copying them.
 */
public final class TraceStore {
  /** Bytes of log per step of capacity. */
  static final int BYTES_PER_STEP = 128;

  /** The longest string kept, in UTF-8 bytes. */
  static final int MAX_STRING_BYTES = 1024;

  private static final int LOG_CHUNK_BITS = 16;
  private static final int LOG_CHUNK = 1 << LOG_CHUNK_BITS;
  private static final int HEAD_CHUNK_BITS = 12;
  private static final int HEAD_CHUNK = 1 << HEAD_CHUNK_BITS;

  /** Longs per head: mark (sequence + 1, 0 when empty, -1 while written), time, start, meta. */
  private static final int HEAD = 4;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /** A number in a step: eight bytes, most significant first. */
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final byte STRING = 'S';
  private static final byte INT = 'I';
  private static final byte LONG = 'L';
  private static final byte ID = 'D';
  private static final byte NULL = 'N';

  private static final Step[] STEPS = Step.values();

  private static final FastThreadLocal<Encoder> ENCODER =
      new FastThreadLocal<>() {
        @Override
        protected Encoder initialValue() {
          return new Encoder();
        }
      };

  private final int entries;
  private final long logBytes;
  private final AtomicReferenceArray<long[]> heads;
  private final AtomicReferenceArray<byte[]> log;
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong claimed = new AtomicLong();
  private final long retentionMs;

  /** The fields a step adds to its JSON, written by a {@link Detail}. */
  public interface Fields {
    Fields put(String name, String value);

    Fields put(String name, int value);

    Fields put(String name, long value);

    /** A message id: shown as a string of digits, as the API shows msgids. */
    Fields putId(String name, long id);
  }

  /**
   * What a step adds to its JSON ({@code ts}, {@code node}, {@code step} are written by the store),
   * written while the step is recorded.
   */
  @FunctionalInterface
  public interface Detail {
    void writeTo(Fields step);
  }

  public TraceStore(int capacity, long retentionMs) {
    this.entries = capacity;
    this.retentionMs = retentionMs;
    this.heads = new AtomicReferenceArray<>(chunks(capacity, HEAD_CHUNK));
    long bytes = Math.max((long) capacity * BYTES_PER_STEP, 2L * LOG_CHUNK);
    int logChunks = Math.toIntExact(chunks(bytes, LOG_CHUNK));
    this.logBytes = (long) logChunks * LOG_CHUNK;
    this.log = new AtomicReferenceArray<>(capacity == 0 ? 0 : logChunks);
  }

  /**
   * Records that {@code step} happened to the message {@code logid} at {@code ts} on {@code node}.
   */
  public void record(String logid, long ts, String node, Step step, Detail detail) {
    if (entries == 0) {
      return;
    }
    Encoder encoder = ENCODER.get();
    encoder.reset();
    encoder.string(logid);
    encoder.string(node);
    detail.writeTo(encoder);
    int length = encoder.length;
    long sequence = recorded.getAndIncrement();
    long start = claimed.getAndAdd(length);
    copyIn(start, encoder.bytes, length);
    int slot = (int) (sequence % entries);
    long[] chunk = headChunk(slot);
    int at = (slot & (HEAD_CHUNK - 1)) * HEAD;
    LONGS.setOpaque(chunk, at, -1L);
    VarHandle.storeStoreFence();
    chunk[at + 1] = ts;
    chunk[at + 2] = start;
    chunk[at + 3] = (long) step.ordinal() << 32 | length;
    LONGS.setRelease(chunk, at, sequence + 1);
  }

  /** The steps of {@code logid} still kept, in the order they were recorded (empty when none). */
  public JsonArray steps(String logid, long now) {
    byte[] wanted = logid.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[Encoder.MAX_STEP_BYTES];
    List<Found> found = new ArrayList<>();
    for (int chunkIndex = 0; chunkIndex < heads.length(); chunkIndex++) {
      long[] chunk = heads.get(chunkIndex);
      if (chunk == null) {
        continue;
      }
      for (int at = 0; at < chunk.length; at += HEAD) {
        long mark = (long) LONGS.getAcquire(chunk, at);
        if (mark <= 0) {
          continue;
        }
        long ts = chunk[at + 1];
        long start = chunk[at + 2];
        long meta = chunk[at + 3];
        VarHandle.loadLoadFence();
        if ((long) LONGS.getOpaque(chunk, at) != mark || now - ts > retentionMs) {
          continue;
        }
        int length = (int) meta;
        if (!copyOut(start, bytes, length)) {
          continue;
        }
        VarHandle.loadLoadFence();
        if (claimed.get() - start > logBytes) {
          continue;
        }
        Decoder step = new Decoder(bytes, length);
        if (step.matches(wanted)) {
          found.add(new Found(mark, step.toJson(ts, STEPS[(int) (meta >>> 32)])));
        }
      }
    }
    found.sort(Comparator.comparingLong(Found::mark));
    JsonArray steps = new JsonArray();
    found.forEach(step -> steps.add(step.json()));
    return steps;
  }

  private static int chunks(long size, int chunk) {
    return Math.toIntExact((size + chunk - 1) / chunk);
  }

  /** The chunk of heads that holds head {@code slot}, made on its first use. */
  private long[] headChunk(int slot) {
    int index = slot >>> HEAD_CHUNK_BITS;
    long[] chunk = heads.get(index);
    if (chunk == null) {
      int slots = Math.min(HEAD_CHUNK, entries - (index << HEAD_CHUNK_BITS));
      chunk = new long[slots * HEAD];
      if (!heads.compareAndSet(index, null, chunk)) {
        chunk = heads.get(index);
      }
    }
    return chunk;
  }

  /** Copies {@code length} bytes to the log from its absolute position {@code start} on. */
  private void copyIn(long start, byte[] bytes, int length) {
    int done = 0;
    while (done < length) {
      long at = (start + done) % logBytes;
      int index = (int) (at >>> LOG_CHUNK_BITS);
      int offset = (int) (at & (LOG_CHUNK - 1));
      int part = Math.min(length - done, LOG_CHUNK - offset);
      byte[] chunk = log.get(index);
      if (chunk == null) {
        chunk = new byte[LOG_CHUNK];
        if (!log.compareAndSet(index, null, chunk)) {
          chunk = log.get(index);
        }
      }
      System.arraycopy(bytes, done, chunk, offset, part);
      done += part;
    }
  }

  /** Copies a step's bytes out of the log; false when they are not all there. */
  private boolean copyOut(long start, byte[] bytes, int length) {
    if (length > bytes.length) {
      return false;
    }
    int done = 0;
    while (done < length) {
      long at = (start + done) % logBytes;
      int offset = (int) (at & (LOG_CHUNK - 1));
      int part = Math.min(length - done, LOG_CHUNK - offset);
      byte[] chunk = log.get((int) (at >>> LOG_CHUNK_BITS));
      if (chunk == null) {
        return false;
      }
      System.arraycopy(chunk, offset, bytes, done, part);
      done += part;
    }
    return true;
  }

  private record Found(long mark, JsonObject json) {}

  /**
   * Encodes a step: its logid and node, then each field as its name, a type byte and its value
   * (strings as a two-byte length and UTF-8, numbers as eight bytes). One per thread, reused.
   */
  private static final class Encoder implements Fields {
    /** The largest step: logid, node and a few dozen fields with strings at their longest. */
    static final int MAX_STEP_BYTES = 64 * (MAX_STRING_BYTES + 16);

    byte[] bytes = new byte[512];
    int length;

    void reset() {
      length = 0;
    }

    @Override
    public Fields put(String name, String value) {
      if (name(name, value == null ? NULL : STRING)) {
        if (value != null) {
          string(value);
        }
      }
      return this;
    }

    @Override
    public Fields put(String name, int value) {
      if (name(name, INT)) {
        number(value);
      }
      return this;
    }

    @Override
    public Fields put(String name, long value) {
      if (name(name, LONG)) {
        number(value);
      }
      return this;
    }

    @Override
    public Fields putId(String name, long id) {
      if (name(name, ID)) {
        number(id);
      }
      return this;
    }

    /** Writes a field's name and type; false (nothing written) when the step is full. */
    private boolean name(String name, byte type) {
      if (length + 2 * (MAX_STRING_BYTES + 3) + 10 > MAX_STEP_BYTES) {
        return false;
      }
      string(name);
      room(1);
      bytes[length++] = type;
      return true;
    }

    /**
     * Writes {@code value} as its UTF-8 length and bytes, cut to {@value #MAX_STRING_BYTES} bytes
     * at a character boundary.
     *
     * @implNote The ASCII run up to the cut is found by a read-only pass and copied at once by
     *     {@link String#getBytes(int, int, byte[], int)} (deprecated because it keeps only each
     *     character's low byte, which for ASCII is its UTF-8; for a Latin-1 string it is one array
     *     copy), rather than stored char by char as the pass goes: every step writes four to a
     *     dozen strings. The rest, from the first non-ASCII character on, goes through the JDK's
     *     encoder, so the bytes are {@code getBytes(UTF_8)}'s, cut.
     */
    @SuppressWarnings("deprecation")
    void string(String value) {
      int chars = value.length();
      room(2 + Math.min(chars * 3, MAX_STRING_BYTES));
      int at = length + 2;
      int plain = Math.min(chars, MAX_STRING_BYTES);
      int ascii = 0;
      while (ascii < plain && value.charAt(ascii) < 0x80) {
        ascii++;
      }
      value.getBytes(0, ascii, bytes, at);
      int end = at + ascii;
      if (ascii < plain) {
        end = utf8(value, ascii, end);
      }
      int size = end - at;
      bytes[length] = (byte) (size >>> 8);
      bytes[length + 1] = (byte) size;
      length = end;
    }

    /** The rest of a string from {@code from} on, not all ASCII, cut at a character boundary. */
    private int utf8(String value, int from, int end) {
      byte[] rest = value.substring(from).getBytes(StandardCharsets.UTF_8);
      int limit = MAX_STRING_BYTES - (end - length - 2);
      int take = Math.min(rest.length, limit);
      while (take < rest.length && take > 0 && (rest[take] & 0xC0) == 0x80) {
        take--;
      }
      System.arraycopy(rest, 0, bytes, end, take);
      return end + take;
    }

    private void number(long value) {
      room(8);
      BIG_ENDIAN_LONGS.set(bytes, length, value);
      length += 8;
    }

    private void room(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }

  /** Reads back what an {@link Encoder} wrote. */
  private static final class Decoder {
    private final byte[] bytes;
    private final int length;
    private int at;

    Decoder(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    boolean matches(byte[] logid) {
      int size = size();
      boolean same = Arrays.equals(bytes, at + 2, at + 2 + size, logid, 0, logid.length);
      at += 2 + size;
      return same;
    }

    JsonObject toJson(long ts, Step step) {
      JsonObject json =
          new JsonObject().put("ts", ts).put("node", string()).put("step", step.wire());
      while (at < length) {
        String name = string();
        byte type = bytes[at++];
        switch (type) {
          case STRING -> json.put(name, string());
          case INT -> json.put(name, (int) number());
          case LONG -> json.put(name, number());
          case ID -> json.put(name, Long.toString(number()));
          default -> json.putNull(name);
        }
      }
      return json;
    }

    private int size() {
      return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    private String string() {
      int size = size();
      String value = new String(bytes, at + 2, size, StandardCharsets.UTF_8);
      at += 2 + size;
      return value;
    }

    private long number() {
      long value = (long) BIG_ENDIAN_LONGS.get(bytes, at);
      at += 8;
      return value;
    }
  }
}
