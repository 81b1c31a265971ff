package io.courier.protocol;

/**
 * Constants of the frame header (protocol v1, docs/protocol.md section 3).
 *
 * <pre>
 *  0      2    3    4      6        8            12           16
 *  +------+----+----+------+--------+------------+------------+---------------+
 *  | 'CR' | v1 | 00 | cmd  | 0x0000 |    seq     |   length   | body (JSON)   |
 *  +------+----+----+------+--------+------------+------------+---------------+
 * </pre>
 *
 * All integers are big-endian; seq and length are unsigned 32-bit.
 */
public final class Wire {
  public static final int MAGIC = 0x4352;
  public static final int VERSION = 1;
  public static final int FLAGS = 0;
  public static final int HEADER_LENGTH = 16;

  /** Default maximum body length in bytes. */
  public static final int DEFAULT_MAX_BODY = 65536;

  private Wire() {}
}
