package io.courier.richtext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Sanitizer for Courier rich text (docs/protocol.md, section 13): plain text with the elements
 * {@code <font size color>}, {@code <img url />} and {@code <shake />}. Everything else is escaped
 * so that it displays as text ({@code < > & "} become {@code &lt; &gt; &amp; &quot;}). The output
 * is canonical: {@code sanitize(sanitize(x)).equals(sanitize(x))} for every {@code x}, so stored
 * messages can be re-checked freely.
 *
 * <ul>
 *   <li><b>Re-serialize, never copy.</b> Accepted elements are written in one form: lower-case
 *       names, double-quoted values, {@code size} before {@code color}, valid attributes only
 *       ({@code <font>} if none). On input, tag and attribute names match ASCII case-insensitively,
 *       values may be double-, single- or unquoted, and the first of duplicate attributes wins, as
 *       in HTML. Copying the input tag minus bad attributes was rejected: every quoting, spacing or
 *       case quirk the filter missed would reach clients.
 *   <li><b>Entities are decoded, then everything is escaped.</b> Text and attribute values decode
 *       {@code &lt; &gt; &amp; &quot;} and numeric references ({@code &#60; &#x3C;}); decoded
 *       characters are text and can never become markup, and {@code &#60;} and {@code &lt;} both
 *       come out as {@code &lt;}. Other names, references to NUL, surrogates or beyond U+10FFFF,
 *       and a lone {@code &} stay literal, so their {@code &} becomes {@code &amp;}. Passing
 *       existing entities through was rejected because {@code &amp;lt;} versus {@code &lt;} then
 *       needs special cases to stay stable; the full HTML entity table was rejected as 2,000 names
 *       the protocol does not need.
 *   <li><b>Controls are stripped from text, after decoding</b> (so {@code &#x202E;} goes too): C0
 *       and C1 controls and DEL except tab and newline, and the bidirectional embeddings, overrides
 *       and isolates U+202A–U+202E and U+2066–U+2069. A right-to-left override shows {@code
 *       "txt.exe"} as {@code "exe.txt"}, and an unclosed one reorders the rest of the client's
 *       line; controls beep, or are drawn as boxes or not at all. The marks U+200E and U+200F stay:
 *       they reorder nothing beyond the neutral characters next to them, and right-to-left writers
 *       need them to place digits and punctuation. A CR becomes a newline. Escaping them as
 *       references instead was rejected: clients decode only the four entities.
 *   <li><b>font.</b> {@code size} must be 8–72 without sign or leading zero: {@code "012"} is
 *       rejected, not normalized, so an accepted value is already canonical. {@code color} is one
 *       of the 148 CSS Color 4 names or {@code #rgb}/{@code #rrggbb}, written lower-case. Fonts
 *       pair like a stack: an unmatched {@code </font>}, a {@code <font>} never closed, and a
 *       {@code <font>} beyond 8 levels together with its {@code </font>} are escaped as text, so
 *       the output is balanced. Dropping them was rejected because the sender's text would silently
 *       vanish.
 *   <li><b>img.</b> The decoded {@code url} must start with {@code http://} or {@code https://}
 *       (scheme written lower-case), be at most 2048 characters and contain no whitespace, control
 *       or format character (bidirectional controls, directional marks, zero-width characters),
 *       {@code "}, {@code <} or {@code >}; otherwise the element is dropped, never repaired: a URL
 *       with a character cut out is another URL, and one with invisible characters is a disguise. A
 *       prefix check on the decoded value defeats {@code JaVaScRiPt:}, {@code java&#x09;script:},
 *       leading spaces and {@code //host} at once, where a scheme blocklist would have to know
 *       every trick.
 *   <li><b>shake</b> drops any attributes. {@code img} and {@code shake} may omit the slash; {@code
 *       </img>}, {@code </shake>} and {@code <font/>} are text.
 *   <li><b>Linear time.</b> A hand-written scanner rather than regular expressions, which risk
 *       catastrophic backtracking on hostile input. A tag may not contain {@code <}, even quoted,
 *       so a failed tag never scans past the next {@code <}.
 * </ul>
 */
public final class RichText {

  private static final int MAX_FONT_DEPTH = 8;
  private static final int MAX_URL_LENGTH = 2048;
  private static final String[][] NAMED_ENTITIES = {
    {"lt;", "<"}, {"gt;", ">"}, {"amp;", "&"}, {"quot;", "\""}
  };
  private static final Set<String> COLOR_NAMES =
      Set.of(
          "aliceblue",
          "antiquewhite",
          "aqua",
          "aquamarine",
          "azure",
          "beige",
          "bisque",
          "black",
          "blanchedalmond",
          "blue",
          "blueviolet",
          "brown",
          "burlywood",
          "cadetblue",
          "chartreuse",
          "chocolate",
          "coral",
          "cornflowerblue",
          "cornsilk",
          "crimson",
          "cyan",
          "darkblue",
          "darkcyan",
          "darkgoldenrod",
          "darkgray",
          "darkgreen",
          "darkgrey",
          "darkkhaki",
          "darkmagenta",
          "darkolivegreen",
          "darkorange",
          "darkorchid",
          "darkred",
          "darksalmon",
          "darkseagreen",
          "darkslateblue",
          "darkslategray",
          "darkslategrey",
          "darkturquoise",
          "darkviolet",
          "deeppink",
          "deepskyblue",
          "dimgray",
          "dimgrey",
          "dodgerblue",
          "firebrick",
          "floralwhite",
          "forestgreen",
          "fuchsia",
          "gainsboro",
          "ghostwhite",
          "gold",
          "goldenrod",
          "gray",
          "green",
          "greenyellow",
          "grey",
          "honeydew",
          "hotpink",
          "indianred",
          "indigo",
          "ivory",
          "khaki",
          "lavender",
          "lavenderblush",
          "lawngreen",
          "lemonchiffon",
          "lightblue",
          "lightcoral",
          "lightcyan",
          "lightgoldenrodyellow",
          "lightgray",
          "lightgreen",
          "lightgrey",
          "lightpink",
          "lightsalmon",
          "lightseagreen",
          "lightskyblue",
          "lightslategray",
          "lightslategrey",
          "lightsteelblue",
          "lightyellow",
          "lime",
          "limegreen",
          "linen",
          "magenta",
          "maroon",
          "mediumaquamarine",
          "mediumblue",
          "mediumorchid",
          "mediumpurple",
          "mediumseagreen",
          "mediumslateblue",
          "mediumspringgreen",
          "mediumturquoise",
          "mediumvioletred",
          "midnightblue",
          "mintcream",
          "mistyrose",
          "moccasin",
          "navajowhite",
          "navy",
          "oldlace",
          "olive",
          "olivedrab",
          "orange",
          "orangered",
          "orchid",
          "palegoldenrod",
          "palegreen",
          "paleturquoise",
          "palevioletred",
          "papayawhip",
          "peachpuff",
          "peru",
          "pink",
          "plum",
          "powderblue",
          "purple",
          "rebeccapurple",
          "red",
          "rosybrown",
          "royalblue",
          "saddlebrown",
          "salmon",
          "sandybrown",
          "seagreen",
          "seashell",
          "sienna",
          "silver",
          "skyblue",
          "slateblue",
          "slategray",
          "slategrey",
          "snow",
          "springgreen",
          "steelblue",
          "tan",
          "teal",
          "thistle",
          "tomato",
          "turquoise",
          "violet",
          "wheat",
          "white",
          "whitesmoke",
          "yellow",
          "yellowgreen");

  private enum Kind {
    FONT_OPEN,
    FONT_CLOSE,
    IMG,
    SHAKE
  }

  /**
   * A recognized tag at {@code [start, end)} of the input; {@code markup} is its canonical form, ""
   * if dropped.
   */
  private record Tag(Kind kind, int start, int end, String markup) {}

  private RichText() {}

  /**
   * Returns the canonical, safe form of {@code input}.
   *
   * @param input message text as received from a client
   * @return the text with only canonical {@code font}, {@code img} and {@code shake} elements as
   *     markup
   * @throws NullPointerException if {@code input} is null; absent text has no sanitized form
   */
  public static String sanitize(String input) {
    Objects.requireNonNull(input, "input");
    List<Tag> tags = scan(input);
    boolean[] asText = unpairedFonts(tags);
    StringBuilder out = new StringBuilder(input.length() + 16);
    int textStart = 0;
    for (int i = 0; i < tags.size(); i++) {
      if (!asText[i]) {
        Tag tag = tags.get(i);
        appendText(decode(input.substring(textStart, tag.start())), out);
        out.append(tag.markup());
        textStart = tag.end();
      }
    }
    appendText(decode(input.substring(textStart)), out);
    return out.toString();
  }

  private static List<Tag> scan(String s) {
    List<Tag> tags = new ArrayList<>();
    int lt = s.indexOf('<');
    while (lt >= 0) {
      Tag tag = new TagParser(s, lt).parse();
      if (tag != null) {
        tags.add(tag);
      }
      lt = s.indexOf('<', tag != null ? tag.end() : lt + 1);
    }
    return tags;
  }

  /**
   * Marks the font tags to escape as text: unmatched closes, unclosed opens, and pairs nested too
   * deep.
   */
  private static boolean[] unpairedFonts(List<Tag> tags) {
    boolean[] asText = new boolean[tags.size()];
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = 0; i < tags.size(); i++) {
      Kind kind = tags.get(i).kind();
      if (kind == Kind.FONT_OPEN) {
        asText[i] = open.size() >= MAX_FONT_DEPTH;
        open.push(i);
      } else if (kind == Kind.FONT_CLOSE) {
        asText[i] = open.isEmpty() || asText[open.pop()];
      }
    }
    for (int i : open) {
      asText[i] = true;
    }
    return asText;
  }

  /**
   * Parser for one tag starting at a {@code <}; {@link #parse} returns null if the text there is no
   * tag.
   */
  private static final class TagParser {
    private final String s;
    private final int start;
    private int pos;
    private boolean selfClosing;

    TagParser(String s, int start) {
      this.s = s;
      this.start = start;
      this.pos = start + 1;
    }

    Tag parse() {
      boolean closing = eat('/');
      String name = asciiLower(run(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')));
      if (closing) {
        skipWhitespace();
        return name.equals("font") && eat('>') ? tag(Kind.FONT_CLOSE, "</font>") : null;
      }
      if (!name.equals("font") && !name.equals("img") && !name.equals("shake")) {
        return null;
      }
      Map<String, String> attributes = attributes();
      if (attributes == null) {
        return null;
      }
      return switch (name) {
        case "font" -> selfClosing ? null : tag(Kind.FONT_OPEN, fontMarkup(attributes));
        case "img" -> tag(Kind.IMG, imgMarkup(attributes.get("url")));
        default -> tag(Kind.SHAKE, "<shake />");
      };
    }

    /**
     * Parses attributes through the closing {@code >} or {@code />}, values entity-decoded; null if
     * malformed.
     */
    private Map<String, String> attributes() {
      Map<String, String> attributes = new HashMap<>();
      while (true) {
        boolean separated = skipWhitespace();
        if (eat('>')) {
          return attributes;
        }
        if (eat('/')) {
          selfClosing = true;
          return eat('>') ? attributes : null;
        }
        String name = asciiLower(run(RichText::isAttributeNameChar));
        if (!separated || name.isEmpty()) {
          return null;
        }
        int afterName = pos;
        skipWhitespace();
        String value = "";
        if (eat('=')) {
          skipWhitespace();
          value = value();
          if (value == null) {
            return null;
          }
        } else {
          pos = afterName;
        }
        attributes.putIfAbsent(name, decode(value));
      }
    }

    private String value() {
      char quote = pos < s.length() ? s.charAt(pos) : 0;
      if (quote != '"' && quote != '\'') {
        String value = run(c -> !isWhitespace(c) && "\"'<>=`".indexOf(c) < 0);
        return value.isEmpty() ? null : value;
      }
      int valueStart = ++pos;
      while (pos < s.length() && s.charAt(pos) != quote) {
        if (s.charAt(pos++) == '<') {
          return null;
        }
      }
      return pos < s.length() ? s.substring(valueStart, pos++) : null;
    }

    private Tag tag(Kind kind, String markup) {
      return new Tag(kind, start, pos, markup);
    }

    private boolean eat(char c) {
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private boolean skipWhitespace() {
      int from = pos;
      run(RichText::isWhitespace);
      return pos > from;
    }

    private String run(IntPredicate accepted) {
      int from = pos;
      while (pos < s.length() && accepted.test(s.charAt(pos))) {
        pos++;
      }
      return s.substring(from, pos);
    }
  }

  private static String fontMarkup(Map<String, String> attributes) {
    StringBuilder markup = new StringBuilder("<font");
    String size = attributes.get("size");
    if (size != null && isValidSize(size)) {
      markup.append(" size=\"").append(size).append('"');
    }
    String color = asciiLower(attributes.getOrDefault("color", ""));
    if (COLOR_NAMES.contains(color) || isHexColor(color)) {
      markup.append(" color=\"").append(color).append('"');
    }
    return markup.append('>').toString();
  }

  private static boolean isValidSize(String size) {
    if (size.isEmpty() || size.length() > 2 || size.charAt(0) == '0') {
      return false;
    }
    int value = 0;
    for (int i = 0; i < size.length(); i++) {
      int digit = digit(size.charAt(i), 10);
      if (digit < 0) {
        return false;
      }
      value = value * 10 + digit;
    }
    return value >= 8 && value <= 72;
  }

  private static boolean isHexColor(String color) {
    if ((color.length() != 4 && color.length() != 7) || color.charAt(0) != '#') {
      return false;
    }
    for (int i = 1; i < color.length(); i++) {
      if (digit(color.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String imgMarkup(String url) {
    if (url == null || !isValidUrl(url)) {
      return "";
    }
    int colon = url.indexOf(':');
    StringBuilder markup =
        new StringBuilder("<img url=\"").append(asciiLower(url.substring(0, colon)));
    escape(url.substring(colon), markup);
    return markup.append("\" />").toString();
  }

  private static boolean isValidUrl(String url) {
    String scheme = asciiLower(url.substring(0, Math.min(url.length(), 8)));
    int prefix = scheme.startsWith("http://") ? 7 : scheme.startsWith("https://") ? 8 : -1;
    if (prefix < 0 || url.length() == prefix || url.length() > MAX_URL_LENGTH) {
      return false;
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || c == '"'
          || c == '<'
          || c == '>') {
        return false;
      }
    }
    return true;
  }

  private static String decode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    for (int amp = s.indexOf('&'); amp >= 0; amp = s.indexOf('&', i)) {
      out.append(s, i, amp);
      i = appendReference(s, amp, out);
    }
    return out.append(s, i, s.length()).toString();
  }

  /**
   * Appends what the reference at {@code amp} stands for, or a literal {@code &} if none; returns
   * where to go on.
   */
  private static int appendReference(String s, int amp, StringBuilder out) {
    for (String[] entity : NAMED_ENTITIES) {
      if (s.startsWith(entity[0], amp + 1)) {
        out.append(entity[1]);
        return amp + 1 + entity[0].length();
      }
    }
    int i = amp + 1;
    if (i < s.length() && s.charAt(i) == '#') {
      i++;
      boolean hex = i < s.length() && (s.charAt(i) == 'x' || s.charAt(i) == 'X');
      int radix = hex ? 16 : 10;
      int digitsStart = hex ? ++i : i;
      int codePoint = 0;
      for (int d; i < s.length() && (d = digit(s.charAt(i), radix)) >= 0; i++) {
        codePoint = Math.min(codePoint * radix + d, Character.MAX_CODE_POINT + 1);
      }
      if (i > digitsStart
          && i < s.length()
          && s.charAt(i) == ';'
          && isAllowedCodePoint(codePoint)) {
        out.appendCodePoint(codePoint);
        return i + 1;
      }
    }
    out.append('&');
    return amp + 1;
  }

  private static boolean isAllowedCodePoint(int codePoint) {
    return codePoint != 0
        && codePoint <= Character.MAX_CODE_POINT
        && (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE);
  }

  /**
   * Appends decoded text, escaped, without the characters it must not carry.
   *
   * <p>A CR becomes a newline, and CR LF one newline, as XML and HTML normalize line ends:
   * stripping it would join the lines of a client that ends them with a lone CR, and keeping it
   * lets a renderer that honours it go back to the start of the line and overwrite what is shown.
   */
  private static void appendText(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        out.append('\n');
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (!isStripped(c)) {
        escape(c, out);
      }
    }
  }

  private static boolean isStripped(char c) {
    return (Character.isISOControl(c) && c != '\t' && c != '\n') || isBidiControl(c);
  }

  /** The embeddings, overrides and their end (U+202A–U+202E) and the isolates (U+2066–U+2069). */
  private static boolean isBidiControl(char c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  }

  private static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      escape(s.charAt(i), out);
    }
  }

  private static void escape(char c, StringBuilder out) {
    switch (c) {
      case '<' -> out.append("&lt;");
      case '>' -> out.append("&gt;");
      case '&' -> out.append("&amp;");
      case '"' -> out.append("&quot;");
      default -> out.append(c);
    }
  }

  /** ASCII-only digit value, or -1: {@link Character#digit} would also accept non-ASCII digits. */
  private static int digit(char c, int radix) {
    int value =
        c >= '0' && c <= '9'
            ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    return value < radix ? value : -1;
  }

  /**
   * ASCII-only lower case: {@code equalsIgnoreCase} takes "ımg" for "img"; {@code toLowerCase} is
   * locale-bound.
   */
  private static String asciiLower(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  }

  private static boolean isAttributeNameChar(int c) {
    return !isWhitespace(c) && "/<>=\"'".indexOf(c) < 0;
  }
}
