package io.courier.bench;

import java.util.Locale;

/**
 * The send time carried inside a message's content, so that the receiver (in the same process,
 * hence the same {@link System#nanoTime()} clock) can measure send-to-receipt latency without any
 * lookup.
 *
 * <p>The stamp is {@code ts=<nanoTime>;} followed by {@code x} padding up to the asked size. It
 * survives Courier's rich-text sanitizer unchanged (plain ASCII, no {@code < > & "}), so C2C
 * content can carry it too. {@code ts=} rather than {@code t=} because GPS content ({@code lat=…})
 * contains {@code t=}.
 */
public final class Stamp {
  static final String MARK = "ts=";

  /**
   * What {@link #parse} returns for content without a stamp ({@code nanoTime} itself may be
   * negative).
   */
  public static final long NONE = Long.MIN_VALUE;

  /** Padding for the largest content the bench sends (--content-bytes at most 16,384). */
  private static final String PADDING = "x".repeat(16_384);

  private Stamp() {}

  /**
   * {@code ts=<nanos>;xxx…}, padded with {@code x} to {@code size} characters (longer if the stamp
   * needs it).
   */
  public static String content(long nanos, int size) {
    StringBuilder content =
        new StringBuilder(Math.max(size, 32)).append(MARK).append(nanos).append(';');
    return content
        .append(PADDING, 0, Math.max(0, Math.min(size - content.length(), PADDING.length())))
        .toString();
  }

  /** GPS-like C2S content: {@code lat=..,lng=..,ts=<nanos>}. */
  public static String position(double lat, double lng, long nanos) {
    return String.format(Locale.ROOT, "lat=%.6f,lng=%.6f,%s%d", lat, lng, MARK, nanos);
  }

  /** The nanoTime stamped into {@code content}, or {@link #NONE} when it carries none. */
  public static long parse(String content) {
    if (content == null) {
      return NONE;
    }
    int start = content.indexOf(MARK);
    if (start < 0) {
      return NONE;
    }
    int i = start + MARK.length();
    int end = i;
    boolean negative = end < content.length() && content.charAt(end) == '-';
    if (negative) {
      end++;
    }
    int digitsStart = end;
    while (end < content.length()
        && Character.isDigit(content.charAt(end))
        && end - digitsStart < 19) {
      end++;
    }
    if (end == digitsStart) {
      return NONE;
    }
    try {
      return Long.parseLong(content, i, end, 10);
    } catch (NumberFormatException e) {
      return NONE;
    }
  }
}
