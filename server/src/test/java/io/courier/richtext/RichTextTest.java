package io.courier.richtext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class RichTextTest {

  /** The canonical allowed elements; anything left after removing them must be inert text. */
  private static final Pattern CANONICAL_ELEMENT =
      Pattern.compile(
          "<font(?: size=\"(?:[89]|[1-6][0-9]|7[0-2])\")?(?: color=\"(?:#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]+)\")?>"
              + "|</font>|<img url=\"https?://[^\"<>\\s]+\" />|<shake />");

  private static final Pattern NON_ENTITY_AMPERSAND = Pattern.compile("&(?!lt;|gt;|amp;|quot;)");

  private static final String URL = "https://pic.example.com/1.jpg";

  /** Input and exact expected output; each is also checked for safety and idempotence. */
  private static final List<String[]> XSS_CORPUS =
      List.of(
          new String[] {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
          new String[] {
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "&lt;SCRIPT SRC=//evil.example/x.js&gt;&lt;/SCRIPT&gt;"
          },
          new String[] {"<img src=x onerror=alert(1)>", ""},
          new String[] {"<img url=\"javascript:alert(1)\" />", ""},
          new String[] {"<img url=\"JaVaScRiPt:alert(1)\">", ""},
          new String[] {"<img url=\"java&#x09;script:alert(1)\">", ""},
          new String[] {"<img url=\"jav&#97;script:alert(1)\">", ""},
          new String[] {"<img url=\" javascript:alert(1)\">", ""},
          new String[] {"<img url=\" https://a.example/x.png\">", ""},
          new String[] {
            "<img url=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">", ""
          },
          new String[] {"<img url=\"vbscript:msgbox(1)\">", ""},
          new String[] {"<img url=\"//evil.example/x.png\">", ""},
          new String[] {
            "<img url=\"https://a.example/x.png\" onerror=\"alert(1)\">",
            "<img url=\"https://a.example/x.png\" />"
          },
          new String[] {"<img url=\"https://a.example/x.png&quot; onerror=&quot;alert(1)\">", ""},
          new String[] {"<img url=\"https://a.example/&#x3C;script&#x3E;\">", ""},
          new String[] {
            "<img url=\"https://a.example/x.png\"onerror=alert(1)>",
            "&lt;img url=&quot;https://a.example/x.png&quot;onerror=alert(1)&gt;"
          },
          new String[] {
            "<img url=\"https://a.example/?q=<script>\">",
            "&lt;img url=&quot;https://a.example/?q=&lt;script&gt;&quot;&gt;"
          },
          new String[] {"<img url=\"javascript:alert(1)\" url=\"https://a.example/x.png\">", ""},
          new String[] {"<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"},
          new String[] {
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "&lt;iframe src=&quot;javascript:alert(1)&quot;&gt;&lt;/iframe&gt;"
          },
          new String[] {
            "<font color=\"red\" onmouseover=\"alert(1)\">x</font>", "<font color=\"red\">x</font>"
          },
          new String[] {"<font color=\"expression(alert(1))\">x</font>", "<font>x</font>"},
          new String[] {
            "<font style=\"background:url(javascript:alert(1))\">x</font>", "<font>x</font>"
          },
          new String[] {
            "<font color=\"#f00;background:url(javascript:alert(1))\">x</font>", "<font>x</font>"
          },
          new String[] {
            "<font/onmouseover=alert(1)>x</font>", "&lt;font/onmouseover=alert(1)&gt;x&lt;/font&gt;"
          },
          new String[] {
            "<font color=\"red\"<script>>", "&lt;font color=&quot;red&quot;&lt;script&gt;&gt;"
          },
          new String[] {
            "<a href=\"javascript:alert(1)\">x</a>",
            "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"
          },
          new String[] {
            "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"
          },
          new String[] {
            "&#60;script&#62;alert(1)&#60;/script&#62;", "&lt;script&gt;alert(1)&lt;/script&gt;"
          },
          new String[] {"&#x3C;script&#x3E;", "&lt;script&gt;"},
          new String[] {"&#x3c;font size=\"12\"&#x3e;x", "&lt;font size=&quot;12&quot;&gt;x"},
          new String[] {"&amp;lt;script&amp;gt;", "&amp;lt;script&amp;gt;"},
          new String[] {
            "<!-- <script>alert(1)</script> -->",
            "&lt;!-- &lt;script&gt;alert(1)&lt;/script&gt; --&gt;"
          },
          new String[] {
            "<![CDATA[<script>alert(1)</script>]]>",
            "&lt;![CDATA[&lt;script&gt;alert(1)&lt;/script&gt;]]&gt;"
          },
          new String[] {"<?xml version=\"1.0\"?>", "&lt;?xml version=&quot;1.0&quot;?&gt;"},
          new String[] {"<!DOCTYPE html>", "&lt;!DOCTYPE html&gt;"},
          new String[] {"<font size=\"12\"", "&lt;font size=&quot;12&quot;"},
          new String[] {"<font size=\"12\">x", "&lt;font size=&quot;12&quot;&gt;x"},
          new String[] {"x</font>", "x&lt;/font&gt;"},
          new String[] {"<<script>>", "&lt;&lt;script&gt;&gt;"},
          new String[] {"<<font>x</font>", "&lt;<font>x</font>"},
          new String[] {"<scr\0ipt>alert(1)</scr\0ipt>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
          new String[] {"<img url=\"https://a.example/\0.png\">", ""},
          new String[] {"<img url=\"https://a.example/\u2028x.png\">", ""},
          new String[] {
            "<\u0131mg url=\"https://a.example/x.png\">",
            "&lt;\u0131mg url=&quot;https://a.example/x.png&quot;&gt;"
          },
          new String[] {"<shake onclick=\"alert(1)\">", "<shake />"},
          new String[] {"</shake></img>", "&lt;/shake&gt;&lt;/img&gt;"},
          new String[] {
            "<font size=\"12\"><script>alert(1)</script></font>",
            "<font size=\"12\">&lt;script&gt;alert(1)&lt;/script&gt;</font>"
          });

  @Test
  void validElementsPassThroughUnchanged() {
    assertSanitizes(
        "<font size=\"12\" color=\"red\">text</font>",
        "<font size=\"12\" color=\"red\">text</font>");
    assertSanitizes("<img url=\"" + URL + "\" />", "<img url=\"" + URL + "\" />");
    assertSanitizes("<shake />", "<shake />");
    assertSanitizes(
        "hi <font>a<font size=\"8\">b</font></font><shake /> ok",
        "hi <font>a<font size=\"8\">b</font></font><shake /> ok");
  }

  @Test
  void elementsAreReserializedCanonically() {
    assertSanitizes(
        "<font size=\"12\" color=\"red\">x</font>", "<FONT Color='RED' SIZE=12>x</FoNt >");
    assertSanitizes(
        "<font size=\"72\" color=\"#abc\">x</font>", "<font\tcolor=#ABC\nsize = '72' >x</font>");
    assertSanitizes(
        "<font size=\"8\" color=\"rebeccapurple\">x</font>",
        "<font size=\"8\" size=\"9\" color=\"RebeccaPurple\">x</font>");
    assertSanitizes(
        "<font size=\"12\" color=\"red\">x</font>",
        "<font size=\"&#49;&#50;\" color=\"r&#x65;d\">x</font>");
    assertSanitizes("<img url=\"" + URL + "\" />", "<IMG URL='" + URL + "'>");
    assertSanitizes(
        "<img url=\"https://a.example/b.jpg/\" />", "<img url=https://a.example/b.jpg/>");
    assertSanitizes(
        "<img url=\"https://A.example/x\" />", "<img url=\"HTTPS://A.example/x\" alt=\"\">");
    assertSanitizes(
        "<img url=\"https://a.example/?a=1&amp;b=2\" />",
        "<img url=\"https://a.example/?a=1&b=2\"/>");
    assertSanitizes(
        "<img url=\"https://a.example/?a=1&amp;b=2\" />",
        "<img url=\"https://a.example/?a=1&amp;b=2\">");
    assertSanitizes(
        "<img url=\"http://a.example/it's.png\" />", "<img url=\"http://a.example/it&#39;s.png\">");
    assertSanitizes("<shake /><shake />", "<SHAKE><shake foo=\"bar\" baz/>");
  }

  @Test
  void invalidFontAttributesAreDropped() {
    for (String size :
        List.of(
            "7",
            "73",
            "0",
            "012",
            "08",
            "+12",
            "-12",
            "1e1",
            "12px",
            " 12",
            "12.0",
            "",
            "99999999999999999999",
            "\u0661\u0662")) {
      assertSanitizes("<font>x</font>", "<font size=\"" + size + "\">x</font>");
    }
    for (String color :
        List.of(
            "#abcd",
            "#ab",
            "#ggg",
            "#aabbccdd",
            "transparent",
            "currentcolor",
            "red ",
            "rgb(255,0,0)",
            "expression(alert(1))",
            "url(x)",
            "",
            "re d",
            "\u0131ndigo")) {
      assertSanitizes("<font>x</font>", "<font color=\"" + color + "\">x</font>");
    }
    assertSanitizes("<font>x</font>", "<font onclick=\"alert(1)\" style=\"x\" size>x</font>");
  }

  @Test
  void cssNamedColorsAreAccepted() {
    for (String color :
        List.of(
            "aliceblue",
            "lightgoldenrodyellow",
            "gray",
            "grey",
            "darkslategrey",
            "cyan",
            "aqua",
            "fuchsia",
            "yellowgreen")) {
      String upper = color.toUpperCase(Locale.ROOT);
      assertSanitizes(
          "<font color=\"" + color + "\">x</font>", "<font color=\"" + upper + "\">x</font>");
    }
  }

  @Test
  void urlLengthIsLimitedTo2048AfterDecoding() {
    String prefix = "https://a.example/";
    String max = prefix + "a".repeat(2048 - prefix.length());
    assertSanitizes("<img url=\"" + max + "\" />", "<img url=\"" + max + "\" />");
    assertSanitizes("", "<img url=\"" + max + "a\" />");
    String maxWithAmpersands = prefix + "&".repeat(2048 - prefix.length());
    String encoded = prefix + "&amp;".repeat(2048 - prefix.length());
    assertSanitizes("<img url=\"" + encoded + "\" />", "<img url=\"" + maxWithAmpersands + "\" />");
    assertSanitizes("", "<img url=\"" + encoded + "&amp;\" />");
  }

  @Test
  void imgWithoutValidUrlIsDropped() {
    assertSanitizes("ab", "a<img>b");
    assertSanitizes("ab", "a<img url>b");
    assertSanitizes("ab", "a<img url=\"https://\">b");
    assertSanitizes("ab", "a<img url=\"ftp://a.example/x\">b");
    assertSanitizes("ab", "a<img url=\"https:\\\\a.example/x\">b");
    assertSanitizes("ab", "a<img url=\"https://a.example/ x\">b");
    assertSanitizes("&amp;lt;", "&l<img>t;");
  }

  @Test
  void textIsDecodedThenEscaped() {
    assertSanitizes("a &amp; b &lt; c &gt; d &quot;e&quot; 'f'", "a & b < c > d \"e\" 'f'");
    assertSanitizes("&amp;", "&");
    assertSanitizes("&amp;", "&amp;");
    assertSanitizes("&amp;lt;", "&amp;lt;");
    assertSanitizes("&amp;amp;", "&amp;amp;");
    assertSanitizes("&lt;&gt;&quot;'", "&lt;&gt;&quot;&#39;");
    assertSanitizes("'", "&#x27;");
    assertSanitizes("&lt;", "&#0000060;");
    assertSanitizes("\uD83D\uDE00", "&#x1F600;");
    assertSanitizes("&amp;#0;", "&#0;");
    assertSanitizes("&amp;#x110000;", "&#x110000;");
    assertSanitizes("&amp;#xD800;", "&#xD800;");
    assertSanitizes("&amp;#99999999999999999999;", "&#99999999999999999999;");
    assertSanitizes("&amp;#\u0663;", "&#\u0663;");
    assertSanitizes("&amp;#;&amp;#x;&amp;#x3c", "&#;&#x;&#x3c");
    assertSanitizes("&amp;lt &amp;LT; &amp;nbsp; &amp;apos;", "&lt &LT; &nbsp; &apos;");
    assertSanitizes("&amp;&lt;", "&&lt;");
    assertSanitizes("", "");
  }

  @Test
  void controlCharactersOtherThanTabAndNewlineAreStripped() {
    assertSanitizes("leftrightbell", "left\u202eright\u0007bell");
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      if (c != '\t' && c != '\n' && c != '\r') {
        controls.append(c);
      }
    }
    controls.append('\u007f').append('\u0080').append('\u009f');
    assertSanitizes("ab", "a" + controls + "b");
    assertSanitizes("a\tb\nc", "a\tb\nc");
    assertSanitizes("ab", "a&#7;&#x1B;&#127;b");
  }

  @Test
  void carriageReturnsBecomeOneNewlineEach() {
    assertSanitizes("a\nb\nc\n\nd", "a\r\nb\rc\r\rd");
    assertSanitizes("a\nb", "a&#13;&#10;b");
    assertSanitizes("a\n<shake />\nb", "a\r<shake />\r\nb");
  }

  @Test
  void bidirectionalOverridesAndIsolatesAreStripped() {
    String controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    assertSanitizes("abc.exe", "a" + controls + "bc.exe");
    assertSanitizes("<font color=\"red\">xy</font>", "<font color=red>x\u202ey</font>");
    assertSanitizes("txt.exe", "&#x202E;txt.exe&#8238;&#x2066;");
    assertSanitizes("&lt;shake /&gt;", "&lt;sh\u202eake /&gt;");
  }

  @Test
  void directionalMarksStayBecauseRightToLeftTextNeedsThem() {
    assertSanitizes(
        "\u05e9\u05dc\u05d5\u05dd 123\u200f!\u200e", "\u05e9\u05dc\u05d5\u05dd 123\u200f!\u200e");
  }

  @Test
  void imgWithAnInvisibleOrControlCharacterInItsUrlIsDropped() {
    assertSanitizes("ab", "a<img url=\"https://a.example/x\u202egnp.exe\">b");
    assertSanitizes("ab", "a<img url=\"https://a.example/x&#x202E;gnp.exe\">b");
    assertSanitizes("ab", "a<img url=\"https://a.example/x\u2066.png\">b");
    assertSanitizes("ab", "a<img url=\"https://a.example/x\u200f.png\">b");
    assertSanitizes("ab", "a<img url=\"https://a.example/x\u0007.png\">b");
    assertSanitizes("ab", "a<img url=\"https://a.example/x&#13;.png\">b");
  }

  @Test
  void fontsArePairedAndUnpairedOnesEscaped() {
    assertSanitizes("&lt;font&gt;a", "<font>a");
    assertSanitizes("a&lt;/font&gt;", "a</font>");
    assertSanitizes(
        "&lt;font color=&quot;red&quot;&gt;<font>x</font>", "<font color=\"red\"><font>x</font>");
    assertSanitizes("<font>x</font>&lt;/font&gt;", "<font>x</font></font>");
    assertSanitizes("&lt;/font&gt;<font>x</font>", "</font><font>x</font>");
    assertSanitizes("&lt;font/&gt;", "<font/>");
    assertSanitizes("&lt;/font x&gt;", "</font x>");
  }

  @Test
  void fontNestingBeyondEightLevelsIsEscaped() {
    String eight = "<font>".repeat(8) + "x" + "</font>".repeat(8);
    assertSanitizes(eight, eight);
    assertSanitizes(
        "<font>".repeat(8) + "&lt;font size=&quot;9&quot;&gt;x&lt;/font&gt;" + "</font>".repeat(8),
        "<font>".repeat(8) + "<font size=\"9\">x</font>" + "</font>".repeat(8));
    assertSanitizes(
        "<font>".repeat(8)
            + "&lt;font&gt;&lt;font&gt;x&lt;/font&gt;&lt;/font&gt;y</font>z"
            + "</font>".repeat(7),
        "<font>".repeat(10) + "x</font></font>y</font>z" + "</font>".repeat(7));
  }

  @Test
  void nullIsRejected() {
    assertThrows(NullPointerException.class, () -> RichText.sanitize(null));
  }

  @Test
  void hostileRepetitionsStaySafe() {
    for (String unit :
        List.of(
            "<",
            "<font a=\"",
            "<font a='x' b=\"",
            "<font a ",
            "&#",
            "&#x0000",
            "&",
            "<font>",
            "</font>",
            "<img url=\"https://a/",
            "<font size=12 color=red>")) {
      String input = unit.repeat(16 * 1024 / unit.length());
      assertSafeAndIdempotent(input);
    }
  }

  @TestFactory
  Stream<DynamicTest> xssCorpus() {
    return IntStream.range(0, XSS_CORPUS.size())
        .mapToObj(
            i ->
                DynamicTest.dynamicTest(
                    "vector " + i,
                    () -> assertSanitizes(XSS_CORPUS.get(i)[1], XSS_CORPUS.get(i)[0])));
  }

  @Test
  void randomInputsAreSafeAndIdempotent() {
    String[] fragments = {
      "<",
      ">",
      "&",
      "\"",
      "'",
      "#",
      ";",
      "=",
      "/",
      " ",
      "\t",
      "\0",
      "\r",
      "\r\n",
      "\n",
      "\u0007",
      "\u202e",
      "\u2066",
      "\u200f",
      "&#13;",
      "&#x202E;",
      "x",
      "1",
      "2",
      "x",
      "font",
      "FONT",
      "img",
      "shake",
      "size",
      "color",
      "url",
      "12",
      "red",
      "#abc",
      "https://a.example/",
      "javascript:",
      "&lt;",
      "&gt;",
      "&amp;",
      "&quot;",
      "&#39;",
      "&#60;",
      "&#x3c;",
      "&#x3E;",
      "&#0;",
      "&#x110000;",
      "&#",
      "&#x",
      "lt",
      "amp",
      "<font size=\"12\">",
      "<font>",
      "</font>",
      "<shake />",
      "<img url=\"https://a.example/x\" />",
      "<!--",
      "-->",
      "<script>",
      "</",
      "/>",
      "onerror=alert(1)"
    };
    Random random = new Random(20240605L);
    for (int n = 0; n < 5000; n++) {
      StringBuilder input = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) {
        input.append(fragments[random.nextInt(fragments.length)]);
      }
      assertSafeAndIdempotent(input.toString());
    }
  }

  private static void assertSanitizes(String expected, String input) {
    assertEquals(expected, RichText.sanitize(input), input);
    assertSafeAndIdempotent(input);
  }

  private static void assertSafeAndIdempotent(String input) {
    String once = RichText.sanitize(input);
    assertEquals(once, RichText.sanitize(once), () -> "not idempotent for " + input);
    String text = CANONICAL_ELEMENT.matcher(once).replaceAll("");
    assertFalse(
        text.contains("<") || text.contains(">") || text.contains("\""),
        () -> "markup outside canonical elements for " + input + ": " + once);
    assertFalse(
        NON_ENTITY_AMPERSAND.matcher(text).find(),
        () -> "bare ampersand for " + input + ": " + once);
  }
}
