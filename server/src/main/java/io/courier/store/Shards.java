package io.courier.store;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The shard function: shard of a uid = CRC-32 (IEEE 802.3, as {@link CRC32} and MySQL's {@code
 * CRC32()}) of its UTF-8 bytes, modulo the number of shards. Stable across versions, JVMs and
 * languages, so that any tool can find a user's rows ({@code SELECT CRC32('alice') % 2}). Changing
 * the number of shards moves most users: it is a migration (see docs/storage.md).
 */
public final class Shards {

  private Shards() {}

  public static int of(String uid, int shards) {
    CRC32 crc = new CRC32();
    crc.update(uid.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % shards);
  }
}
