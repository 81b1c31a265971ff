package io.courier.store;

import java.util.Arrays;

/**
 * The keys of the embedded store ({@link RocksMessageStore}), one layout per column family. Keys
 * compare as unsigned bytes, so each layout puts what a scan fixes first and what it ranges over
 * last:
 *
 * <pre>
 * inbox          = text(to_uid) · to_appcode:4                 ("inbox" column family: count, floor)
 * offline key    = inbox · msgid:8                             ("offline", "ungiven")
 * terminal key   = text(uid) · appcode:4                       ("terminal": since)
 * conversation   = text(owner_uid) · text(peer_uid)            ("conversation": positions)
 * history key    = conversation · msgid:8                      ("history")
 * dedup key      = text(from_uid) · from_appcode:4 · text(cmid) ("dedup")
 * expiry key     = kind:1 · senddate:8 · row key               ("expiry")
 * group key      = text(group_id)                              ("group": title, closed, last msgid)
 * member key     = group key · text(uid)                       ("group_member": appcode, join point,
 *                                                                read position)
 * timeline key   = group key · msgid:8                         ("group_timeline": the message)
 * user group key = text(uid) · text(group_id)                  ("user_group": empty)
 * </pre>
 *
 * <p>{@code text(s)} is one length byte and the string in CESU-8: UTF-8 that encodes each UTF-16
 * unit on its own, so that every Java string, unpaired surrogates included, has exactly one
 * encoding and two keys are equal exactly when their strings are ({@code "Bob"} and {@code "bob"},
 * {@code "x"} and {@code "x "} are two keys). The length byte makes a text a prefix of no other
 * text's encoding, so an inbox or a conversation is a prefix of exactly its own rows. At most
 * {@link MessageStore#MAX_KEY_CHARS} units of 3 bytes fit the length byte.
 *
 * <p>Numbers are big-endian with the sign bit flipped, so that they order as numbers: a PULL is a
 * range of the receiver's inbox from {@code after + 1}, a HISTORY a range of the conversation below
 * {@code before}, walked backwards, and the purge a range of one kind's expiry keys below a date.
 */
final class RocksKeys {
  /** The expiry kinds: which column family the row key of an expiry key names. */
  static final byte EXPIRY_OFFLINE = 'o';

  static final byte EXPIRY_HISTORY = 'h';
  static final byte EXPIRY_DEDUP = 'd';
  static final byte EXPIRY_TIMELINE = 't';

  /** Bytes of a msgid at the end of an offline or history key. */
  static final int MSGID_BYTES = 8;

  /** Bytes before the row key in an expiry key. */
  private static final int EXPIRY_HEADER = 1 + 8;

  private RocksKeys() {}

  static byte[] inbox(String uid, int appcode) {
    return new Builder(2 + uid.length() * 3 + 4).text(uid).integer(appcode).bytes();
  }

  /** The terminals of {@code uid}: the prefix of its terminal keys. */
  static byte[] terminals(String uid) {
    return text(uid);
  }

  /** The key of a terminal, also the key of its inbox. */
  static byte[] terminal(String uid, int appcode) {
    return inbox(uid, appcode);
  }

  /** The appcode at the end of a terminal key. */
  static int appcodeOfTerminal(byte[] key) {
    Reader reader = new Reader(key, 0);
    reader.text();
    return reader.integer();
  }

  static byte[] offline(String uid, int appcode, long msgid) {
    return withMsgid(inbox(uid, appcode), msgid);
  }

  /** The key of {@code msgid} under {@code prefix}: an inbox or a conversation. */
  static byte[] withMsgid(byte[] prefix, long msgid) {
    return new Builder(prefix.length + MSGID_BYTES).raw(prefix).number(msgid).bytes();
  }

  static byte[] conversation(String owner, String peer) {
    return texts(owner, peer);
  }

  /** The key of a group's row, also the prefix of its member rows and of its timeline. */
  static byte[] group(String groupId) {
    return text(groupId);
  }

  static byte[] member(String groupId, String uid) {
    return texts(groupId, uid);
  }

  /** The uid at the end of a member key. */
  static String uidOfMember(byte[] key) {
    Reader reader = new Reader(key, 0);
    reader.text();
    return reader.text();
  }

  static byte[] timeline(String groupId, long msgid) {
    return withMsgid(group(groupId), msgid);
  }

  /** The key of {@code uid}'s membership of {@code groupId}: a user's groups are one prefix. */
  static byte[] userGroup(String uid, String groupId) {
    return texts(uid, groupId);
  }

  /** The prefix of {@code uid}'s user group keys. */
  static byte[] userGroups(String uid) {
    return text(uid);
  }

  /** The group id at the end of a user group key. */
  static String groupOfUserGroup(byte[] key) {
    return uidOfMember(key);
  }

  private static byte[] text(String value) {
    return new Builder(1 + value.length() * 3).text(value).bytes();
  }

  private static byte[] texts(String first, String second) {
    return new Builder(2 + (first.length() + second.length()) * 3).text(first).text(second).bytes();
  }

  static byte[] history(String owner, String peer, long msgid) {
    return withMsgid(conversation(owner, peer), msgid);
  }

  static byte[] dedup(String fromUid, int fromAppcode, String cmid) {
    return new Builder(2 + (fromUid.length() + cmid.length()) * 3 + 4)
        .text(fromUid)
        .integer(fromAppcode)
        .text(cmid)
        .bytes();
  }

  static byte[] expiry(byte kind, long senddate, byte[] rowKey) {
    return new Builder(EXPIRY_HEADER + rowKey.length)
        .raw(new byte[] {kind})
        .number(senddate)
        .raw(rowKey)
        .bytes();
  }

  /** The first expiry key of {@code kind}. */
  static byte[] expiryStart(byte kind) {
    return new byte[] {kind};
  }

  /** The expiry keys of {@code kind} sent before {@code senddate} end here (exclusive). */
  static byte[] expiryBefore(byte kind, long senddate) {
    return new Builder(EXPIRY_HEADER).raw(new byte[] {kind}).number(senddate).bytes();
  }

  /** The row key an expiry key names. */
  static byte[] rowOfExpiry(byte[] expiryKey) {
    return Arrays.copyOfRange(expiryKey, EXPIRY_HEADER, expiryKey.length);
  }

  /** The msgid at the end of an offline, history or timeline key. */
  static long msgidOf(byte[] key) {
    return number(key, key.length - MSGID_BYTES);
  }

  /** The inbox of an offline key. */
  static byte[] inboxOf(byte[] offlineKey) {
    return Arrays.copyOf(offlineKey, offlineKey.length - MSGID_BYTES);
  }

  /**
   * The first key after every key that starts with {@code prefix}: the exclusive end of a prefix
   * scan. Never null: every prefix here starts with a length byte below 0xFF.
   */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("no key follows a prefix of 0xFF bytes");
  }

  /** A big-endian number with its sign bit flipped, read at {@code offset}. */
  static long number(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value ^ Long.MIN_VALUE;
  }

  /** Builds one key or value: text, numbers and raw bytes in order. */
  static final class Builder {
    private byte[] buffer;
    private int length;

    Builder(int capacity) {
      buffer = new byte[Math.max(capacity, 16)];
    }

    /** One length byte, then the string in CESU-8. */
    Builder text(String value) {
      int start = length;
      raw1(0);
      cesu8(value);
      int bytes = length - start - 1;
      if (bytes > 0xFF) {
        throw new IllegalArgumentException(
            "a key text of " + value.length() + " characters is too long for the store");
      }
      buffer[start] = (byte) bytes;
      return this;
    }

    /** A varint length, then the string in CESU-8: the texts of values, of any length. */
    Builder longText(String value) {
      varint(cesu8Length(value));
      return cesu8(value);
    }

    Builder integer(int value) {
      ensure(4);
      int flipped = value ^ Integer.MIN_VALUE;
      for (int shift = 24; shift >= 0; shift -= 8) {
        buffer[length++] = (byte) (flipped >>> shift);
      }
      return this;
    }

    Builder number(long value) {
      ensure(8);
      long flipped = value ^ Long.MIN_VALUE;
      for (int shift = 56; shift >= 0; shift -= 8) {
        buffer[length++] = (byte) (flipped >>> shift);
      }
      return this;
    }

    Builder raw(byte[] bytes) {
      ensure(bytes.length);
      System.arraycopy(bytes, 0, buffer, length, bytes.length);
      length += bytes.length;
      return this;
    }

    byte[] bytes() {
      return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private void raw1(int value) {
      ensure(1);
      buffer[length++] = (byte) value;
    }

    private void varint(int value) {
      while ((value & ~0x7F) != 0) {
        raw1((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      raw1(value);
    }

    private Builder cesu8(String value) {
      ensure(value.length() * 3);
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x80) {
          buffer[length++] = (byte) c;
        } else if (c < 0x800) {
          buffer[length++] = (byte) (0xC0 | (c >> 6));
          buffer[length++] = (byte) (0x80 | (c & 0x3F));
        } else {
          buffer[length++] = (byte) (0xE0 | (c >> 12));
          buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buffer[length++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      return this;
    }

    private static int cesu8Length(String value) {
      int bytes = value.length();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          bytes += c < 0x800 ? 1 : 2;
        }
      }
      return bytes;
    }

    private void ensure(int more) {
      if (length + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
      }
    }
  }

  /** Reads what a {@link Builder} wrote, in the same order. */
  static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    String text() {
      return cesu8(bytes[position++] & 0xFF);
    }

    String longText() {
      int length = 0;
      for (int shift = 0; ; shift += 7) {
        int b = bytes[position++];
        length |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      return cesu8(length);
    }

    int integer() {
      int value = 0;
      for (int i = 0; i < 4; i++) {
        value = (value << 8) | (bytes[position++] & 0xFF);
      }
      return value ^ Integer.MIN_VALUE;
    }

    long number() {
      long value = RocksKeys.number(bytes, position);
      position += 8;
      return value;
    }

    byte raw1() {
      return bytes[position++];
    }

    private String cesu8(int byteLength) {
      int end = position + byteLength;
      char[] chars = new char[byteLength];
      int count = 0;
      while (position < end) {
        int b = bytes[position++] & 0xFF;
        if (b < 0x80) {
          chars[count++] = (char) b;
        } else if (b < 0xE0) {
          chars[count++] = (char) (((b & 0x1F) << 6) | (bytes[position++] & 0x3F));
        } else {
          int second = bytes[position++] & 0x3F;
          int third = bytes[position++] & 0x3F;
          chars[count++] = (char) (((b & 0x0F) << 12) | (second << 6) | third);
        }
      }
      return new String(chars, 0, count);
    }
  }
}
