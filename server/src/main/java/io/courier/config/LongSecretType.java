package io.courier.config;

import java.nio.charset.StandardCharsets;

/**
 * A secret of at least {@code minBytes} UTF-8 bytes, taken as written (not trimmed: a space may be
 * part of it). Unlike {@link ValueType#text()}, its error messages never show the value.
 */
record LongSecretType(int minBytes) implements ValueType<String> {

  @Override
  public String parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof String text) || text.getBytes(StandardCharsets.UTF_8).length < minBytes) {
      throw key.invalid(
          "must be a string of at least "
              + minBytes
              + " bytes (RFC 7518 section 3.2); generate one with: openssl rand -base64 32");
    }
    return text;
  }

  @Override
  public Object toJson(String value) {
    return value;
  }

  @Override
  public String accepts() {
    return "string of at least " + minBytes + " bytes";
  }
}
