package io.courier.config;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * An event-bus address pattern of a business's bridge permissions ({@code bridge.businesses}):
 * {@code *} stands for any run of characters, none included, and everything else for itself. So
 * {@code courier.s2c*} covers {@code courier.s2c} and {@code courier.s2c.multi}, and {@code
 * courier.c2s.101.*} every C2S address of appcode 101.
 *
 * @implNote A glob rather than a regex, as the stock bridge's {@code addressRegex} takes: an
 *     operator writes {@code courier.c2s.101.*} and means it, where the same text as a regex would
 *     also match {@code courier.c2s.1010} through its unescaped dots.
 */
public final class AddressPattern {
  private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._*-]{1,200}");

  private final String text;
  private final Pattern compiled;

  private AddressPattern(String text) {
    this.text = text;
    StringJoiner regex = new StringJoiner(".*");
    for (String literal : text.split("\\*", -1)) {
      regex.add(literal.isEmpty() ? "" : Pattern.quote(literal));
    }
    this.compiled = Pattern.compile(regex.toString());
  }

  /**
   * The pattern {@code text}: 1–200 characters of {@code [A-Za-z0-9._*-]}.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static AddressPattern of(String text) {
    if (text == null || !SYNTAX.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "must be 1-200 characters of letters, digits, '.', '_', '-' and '*'");
    }
    return new AddressPattern(text);
  }

  /** Whether {@code address} is covered, whole. */
  public boolean matches(String address) {
    return compiled.matcher(address).matches();
  }

  /** The text before the first {@code *}: every covered address starts with it. */
  String literalPrefix() {
    int star = text.indexOf('*');
    return star < 0 ? text : text.substring(0, star);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressPattern pattern && pattern.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** As written in the configuration. */
  @Override
  public String toString() {
    return text;
  }
}
