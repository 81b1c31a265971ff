package io.courier.bench;

import static io.courier.bench.Fuzzer.require;

import io.courier.richtext.RichText;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fuzz --target richtext} and RichTextProperties: any UTF-16 string, and HTML-ish text made
 * of tags (allowed or not, in any case, with event handlers and hostile URLs), entities and numeric
 * references (to controls, bidi controls, surrogates, beyond U+10FFFF), runs of font tags, raw
 * controls and line ends. The sanitizer must not throw, its output must be its own sanitized form,
 * and safe by construction: outside the canonical elements only text with the four entities; no
 * control character but tab and newline, no bidi embedding, override or isolate; fonts balanced
 * within 8; an img URL only http(s) — hence no {@code <script}, no {@code on*=} attribute and no
 * {@code javascript:} URL.
 */
final class RichTextFuzzer implements Fuzzer<String> {
  private static final Pattern ELEMENT =
      Pattern.compile(
          "<font(?: size=\"(?:[89]|[1-6][0-9]|7[0-2])\")?(?: color=\"(?:#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]+)\")?>"
              + "|</font>|<img url=\"([^\"<>]*)\" />|<shake />");

  private static final Pattern ENTITY = Pattern.compile("&(?:lt|gt|amp|quot);");

  private static final Pattern EVENT_HANDLER = Pattern.compile("(?i)\\son[a-z]*\\s*=");

  private static final int MAX_FONT_DEPTH = 8;

  private static final String MARKUP_CHARACTERS = "<>&\"'/=#;x \t\r\n";

  @Override
  public String next(Random random, int size) {
    return random.nextBoolean() ? anyString(random, size) : htmlish(random, size);
  }

  @Override
  public void check(String input) {
    String once = RichText.sanitize(input);
    require(once.equals(RichText.sanitize(once)), () -> "not idempotent: " + shown(once));
    requireSafe(once);
  }

  /**
   * The text's UTF-16 code units, big-endian, written out: a charset encoder would replace lone
   * surrogates.
   */
  @Override
  public byte[] bytes(String input) {
    ByteBuffer units = ByteBuffer.allocate(2 * input.length());
    input.chars().forEach(c -> units.putChar((char) c));
    return units.array();
  }

  @Override
  public String detail(String input) {
    return "the input is text in UTF-16BE: " + shown(input);
  }

  /** The text with everything outside printable ASCII escaped. */
  private static String shown(String text) {
    StringBuilder shown = new StringBuilder("\"");
    text.chars()
        .forEach(
            c ->
                shown.append(
                    c >= 0x20 && c < 0x7F && c != '\\'
                        ? Character.toString(c)
                        : String.format("\\u%04x", c)));
    return shown.append('"').toString();
  }

  /** Reads the output as the client would, failing on anything outside the safe grammar. */
  private static void requireSafe(String out) {
    Supplier<String> shown = () -> shown(out);
    require(!out.toLowerCase(Locale.ROOT).contains("<script"), () -> "<script in " + shown.get());
    int fonts = 0;
    int i = 0;
    while (i < out.length()) {
      char c = out.charAt(i);
      int at = i;
      if (c == '<') {
        Matcher element = ELEMENT.matcher(out).region(i, out.length());
        require(element.lookingAt(), () -> "not a canonical element at " + at + ": " + shown.get());
        String markup = element.group();
        require(!EVENT_HANDLER.matcher(markup).find(), () -> "on*= in " + shown.get());
        if (element.group(1) != null) {
          requireSafeUrl(element.group(1), shown);
        }
        fonts += markup.equals("</font>") ? -1 : markup.startsWith("<font") ? 1 : 0;
        require(fonts >= 0 && fonts <= MAX_FONT_DEPTH, () -> "fonts unbalanced: " + shown.get());
        i = element.end();
      } else if (c == '&') {
        Matcher entity = ENTITY.matcher(out).region(i, out.length());
        require(entity.lookingAt(), () -> "bare & at " + at + ": " + shown.get());
        i = entity.end();
      } else {
        require(
            c != '>' && c != '"' && !isForbidden(c),
            () -> "unescaped or forbidden character at " + at + ": " + shown.get());
        i++;
      }
    }
    require(fonts == 0, () -> "fonts unbalanced: " + shown.get());
  }

  private static void requireSafeUrl(String escaped, Supplier<String> shown) {
    String url =
        escaped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
    require(url.startsWith("http://") || url.startsWith("https://"), () -> "url: " + shown.get());
    require(url.length() <= 2048, () -> "url length: " + shown.get());
    require(
        url.chars()
            .noneMatch(
                c ->
                    isForbidden((char) c)
                        || Character.isWhitespace(c)
                        || Character.getType(c) == Character.FORMAT),
        () -> "url: " + shown.get());
  }

  /** Controls other than tab and newline, and the bidi embeddings, overrides and isolates. */
  private static boolean isForbidden(char c) {
    return (Character.isISOControl(c) && c != '\t' && c != '\n')
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /** Any UTF-16 code units, lone surrogates included, with markup characters more often. */
  static String anyString(Random random, int size) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(2 * size + 1);
    for (int i = 0; i < length; i++) {
      text.append(
          switch (random.nextInt(4)) {
            case 0 -> MARKUP_CHARACTERS.charAt(random.nextInt(MARKUP_CHARACTERS.length()));
            case 1 -> (char) random.nextInt(0x10000);
            case 2 -> (char) random.nextInt(0x100);
            default -> (char) (0x20 + random.nextInt(0x5F));
          });
    }
    return text.toString();
  }

  /**
   * Tags, references, runs of font tags around the nesting limit and text, each piece chosen at
   * random from hostile and ordinary forms.
   */
  static String htmlish(Random random, int size) {
    StringBuilder text = new StringBuilder();
    int pieces = random.nextInt(size / 3 + 2);
    for (int i = 0; i < pieces; i++) {
      switch (random.nextInt(6)) {
        case 0, 1 -> tag(random, text);
        case 2 -> reference(random, text);
        case 3 ->
            text.append(pick(random, "<!--", "-->", "<![CDATA[", "<!DOCTYPE html>", "<", ">"));
        case 4 -> text.append(pick(random, "<font>", "</font>").repeat(1 + random.nextInt(12)));
        default -> plain(random, text);
      }
    }
    return text.toString();
  }

  private static void tag(Random random, StringBuilder text) {
    text.append('<');
    if (random.nextInt(4) == 0) {
      text.append('/');
    }
    text.append(
        randomCase(
            random,
            pick(
                random,
                "font",
                "font",
                "img",
                "img",
                "shake",
                "script",
                "svg",
                "a",
                "iframe",
                "style",
                "\u0131mg",
                "f\u0000ont",
                "img\u200b")));
    int attributes = random.nextInt(4);
    for (int i = 0; i < attributes; i++) {
      text.append(pick(random, " ", " ", "\t", "\n", "", "/", "  "));
      text.append(
          randomCase(
              random,
              pick(
                  random, "size", "color", "url", "url", "onerror", "onclick", "onload", "style",
                  "href", "src", "on", "x")));
      if (random.nextInt(5) > 0) {
        text.append(pick(random, "=", " = ", "=\n"));
        String value = attributeValue(random);
        switch (random.nextInt(4)) {
          case 0 -> text.append(value);
          case 1 -> text.append('\'').append(value).append('\'');
          default -> text.append('"').append(value).append('"');
        }
      }
    }
    text.append(pick(random, ">", ">", "/>", " />", "", " >"));
  }

  private static String attributeValue(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> pick(random, "8", "72", "12", "012", "7", "73", "+12", " 12", "1e1", "");
      case 1 ->
          pick(
              random,
              "red",
              "RED",
              "#abc",
              "#ABCDEF",
              "#abcd",
              "rebeccapurple",
              "expression(alert(1))",
              "red;x:y");
      default -> url(random);
    };
  }

  private static String url(Random random) {
    StringBuilder url =
        new StringBuilder(
            pick(
                random,
                "http://",
                "https://",
                "https://",
                "HTTPS://",
                "javascript:",
                "JaVaScRiPt:",
                "java&#x09;script:",
                "jav&#97;script:",
                " javascript:",
                "data:text/html,",
                "vbscript:",
                "//",
                "http:/",
                "https:",
                "&#104;ttps://"));
    int parts = random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      url.append(
          pick(
              random,
              "a.example/x.png",
              "alert(1)",
              "&quot; onerror=&quot;alert(1)",
              "&#x202E;",
              "\u200b",
              "\u202e",
              "<script>",
              "%22",
              " ",
              "?q=1&amp;r=2",
              "&",
              "\u0000",
              "\u00a0",
              "x".repeat(random.nextInt(3000))));
    }
    return url.toString();
  }

  private static void reference(Random random, StringBuilder text) {
    if (random.nextBoolean()) {
      text.append(
          pick(
              random,
              "&lt;",
              "&gt;",
              "&amp;",
              "&quot;",
              "&apos;",
              "&nbsp;",
              "&LT;",
              "&lt",
              "&",
              "&#",
              "&#x",
              "&#;",
              "&amp;lt;",
              "&amp;#60;"));
      return;
    }
    int codePoint =
        random.nextInt(3) == 0
            ? random.nextInt(0x110010)
            : pick(
                random, 0, 1, 9, 10, 13, 0x1F, 0x3C, 0x3E, 0x22, 0x26, 0x7F, 0x85, 0x9F, 0x200E,
                0x202A, 0x202E, 0x2066, 0x2069, 0xD800, 0xDFFF, 0xFEFF, 0x10FFFF, 0x110000);
    boolean hex = random.nextBoolean();
    text.append("&#")
        .append(hex ? pick(random, "x", "X") : "")
        .append("0".repeat(random.nextInt(3)))
        .append(hex ? Integer.toHexString(codePoint) : Integer.toString(codePoint))
        .append(random.nextInt(6) == 0 ? "" : ";");
  }

  private static void plain(Random random, StringBuilder text) {
    int length = 1 + random.nextInt(8);
    for (int i = 0; i < length; i++) {
      text.append(
          switch (random.nextInt(6)) {
            case 0 ->
                pick(random, "\r", "\n", "\r\n", "\t", "\u0000", "\u0007", "\u007f", "\u0085");
            case 1 -> pick(random, "\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f");
            case 2 -> Character.toString(random.nextInt(0x110000));
            case 3 -> pick(random, "\"", "'", "=", "/", ";", "#");
            default -> Character.toString('a' + random.nextInt(26));
          });
    }
  }

  private static String randomCase(Random random, String name) {
    StringBuilder cased = new StringBuilder();
    for (char c : name.toCharArray()) {
      cased.append(random.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
    }
    return cased.toString();
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
