package io.courier.protocol;

/**
 * Where each field of the frame header starts (the diagram is in {@link Wire}), each offset derived
 * from the one before and its size, so that they cannot disagree with each other.
 */
final class HeaderLayout {
  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = MAGIC_OFFSET + 2;
  static final int FLAGS_OFFSET = VERSION_OFFSET + 1;
  static final int CMD_OFFSET = FLAGS_OFFSET + 1;
  static final int RESERVED_OFFSET = CMD_OFFSET + 2;
  static final int SEQ_OFFSET = RESERVED_OFFSET + 2;
  static final int LENGTH_OFFSET = SEQ_OFFSET + 4;
  static final int BODY_OFFSET = LENGTH_OFFSET + 4;

  static {
    if (BODY_OFFSET != Wire.HEADER_LENGTH) {
      throw new ExceptionInInitializerError(
          "header fields end at " + BODY_OFFSET + ", not at " + Wire.HEADER_LENGTH);
    }
  }

  private HeaderLayout() {}
}
