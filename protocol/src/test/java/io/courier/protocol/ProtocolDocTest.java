package io.courier.protocol;

import static io.courier.protocol.MarkdownDoc.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.MarkdownDoc.Block;
import io.courier.protocol.MarkdownDoc.Table;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps {@code docs/protocol.md}, the specification of the client protocol, and the code together:
 * the command table against {@link Command}, the code table against {@link Code}, the header table
 * against the bytes {@link FrameEncoder} writes, and every example frame (hex dump) against {@link
 * FrameDecoder} and {@link FrameEncoder}. A change on either side alone fails here.
 *
 * <p>The document is read as the reader sees it; where a check needs a regular shape, the shape is
 * the document's: pipe tables, and hex dumps whose first line names the frame ({@link #CAPTION}).
 */
class ProtocolDocTest {
  private static final MarkdownDoc DOC = MarkdownDoc.inRepository("docs/protocol.md");

  /** A line of a hex dump: offset, two spaces, up to 16 hex bytes, the bytes as ASCII. */
  private static final Pattern DUMP_LINE = Pattern.compile("[0-9a-f]{4}  [0-9a-f]{2}( .*)?");

  /**
   * The line above a hex dump: "NAME …: cmd 0xHHHH, seq N, " and then "no body", "body of N bytes"
   * or "body {json}".
   */
  private static final Pattern CAPTION =
      Pattern.compile(
          "cmd 0x(\\p{XDigit}{4}), seq (\\d+), (?:(no body)|body of (\\d+) bytes|body (\\{.*\\}))");

  private static final Pattern JWT =
      Pattern.compile("([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)");

  @Test
  void commandTableHasEveryCommandWithItsWireValuesAndSender() {
    Table table = DOC.table("cmd", "response", "name", "sent by");
    int cmdColumn = table.column("cmd");
    int responseColumn = table.column("response");
    int nameColumn = table.column("name");
    int senderColumn = table.column("sent by");
    List<String> names = new ArrayList<>();
    for (List<String> row : table.rows()) {
      String name = plain(row.get(nameColumn));
      names.add(name);
      Command command = command(name, table);
      assertEquals(hex(command.code()), plain(row.get(cmdColumn)), name + ": cmd");
      String response = plain(row.get(responseColumn));
      if (response.equals("—")) {
        // no answer to it: only frames the server sends on its own lack one
        assertEquals(Command.Direction.SERVER, command.direction(), name + " has no response");
      } else {
        assertEquals(hex(command.responseCode()), response, name + ": response cmd");
      }
      assertEquals(
          command.direction().name().toLowerCase(),
          plain(row.get(senderColumn)),
          name + ": sender");
    }
    assertEquals(
        Arrays.stream(Command.values()).map(Enum::name).sorted().toList(),
        names.stream().sorted().toList(),
        table + " must list every command once");
  }

  @Test
  void codeTableHasEveryCodeWithItsNameAndReason() {
    Table table = DOC.table("code", "name", "reason");
    int valueColumn = table.column("code");
    int nameColumn = table.column("name");
    int reasonColumn = table.column("reason");
    List<String> names = new ArrayList<>();
    for (List<String> row : table.rows()) {
      String name = plain(row.get(nameColumn));
      names.add(name);
      Code code =
          Arrays.stream(Code.values())
              .filter(c -> c.name().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(table + " names " + name + ", not a Code"));
      assertEquals(String.valueOf(code.value()), plain(row.get(valueColumn)), name + ": value");
      assertEquals(code.reason(), plain(row.get(reasonColumn)), name + ": reason");
    }
    assertEquals(
        Arrays.stream(Code.values()).map(Enum::name).sorted().toList(),
        names.stream().sorted().toList(),
        table + " must list every code once");
  }

  /** The per-command code tables, "ERROR 440", "KICK 4001" and {@code {code: 4001, msg: …}}. */
  @Test
  void everyCodeTheDocumentUsesIsACodeWithThatReason() {
    Set<Integer> values = Arrays.stream(Code.values()).map(Code::value).collect(Collectors.toSet());
    Set<Integer> used = new TreeSet<>();
    for (Table table : DOC.tables()) {
      if (table.startsWith("code")) {
        for (List<String> row : table.rows()) {
          String cell = plain(row.get(0));
          if (cell.matches("\\d+")) {
            assertTrue(values.contains(Integer.valueOf(cell)), table + ": " + cell + " is no code");
            used.add(Integer.valueOf(cell));
          }
        }
      }
    }
    Matcher named = Pattern.compile("\\b(?:ERROR|KICK) (\\d+)\\b").matcher(DOC.text());
    while (named.find()) {
      assertTrue(values.contains(Integer.valueOf(named.group(1))), named.group() + " is no code");
      used.add(Integer.valueOf(named.group(1)));
    }
    Matcher body = Pattern.compile("\\{code: (\\d+), msg: \"([^\"]*)\"}").matcher(DOC.text());
    while (body.find()) {
      Code code = Code.fromValue(Integer.parseInt(body.group(1)));
      assertEquals(code.value(), Integer.parseInt(body.group(1)), body.group() + " is no code");
      assertEquals(code.reason(), body.group(2), body.group());
      used.add(code.value());
    }
    assertFalse(used.isEmpty(), "no code found outside the code table");
  }

  @Test
  void headerTableMatchesTheBytesTheEncoderWrites() {
    Table table = DOC.table("offset", "size", "field", "value");
    int cmd = 0x1234;
    long seq = 0x89ABCDEFL;
    JsonObject body = new JsonObject().put("k", "v");
    Buffer frame = FrameEncoder.encode(cmd, seq, body);
    int bodyLength = frame.length() - Wire.HEADER_LENGTH;
    Set<String> fields = new HashSet<>();
    for (List<String> row : table.rows()) {
      String field = plain(row.get(table.column("field")));
      fields.add(field);
      int offset = Integer.parseInt(plain(row.get(table.column("offset"))));
      String size = plain(row.get(table.column("size")));
      if (field.equals("body")) {
        assertEquals("length", size, "the body's size is the length field");
        assertEquals(Wire.HEADER_LENGTH, offset, "body offset");
        assertEquals(body.encode(), frame.getString(offset, frame.length()), "body");
        continue;
      }
      Buffer bytes = frame.getBuffer(offset, offset + Integer.parseInt(size));
      long expected =
          switch (field) {
            case "magic", "version", "flags", "reserved" ->
                firstValue(row.get(table.column("value")), bytes.length());
            case "cmd" -> cmd;
            case "seq" -> seq;
            case "length" -> bodyLength;
            default -> throw new AssertionError(table + ": unknown field " + field);
          };
      assertEquals(expected, unsigned(bytes), field + " at offset " + offset + ", size " + size);
    }
    assertEquals(
        Set.of("magic", "version", "flags", "cmd", "reserved", "seq", "length", "body"),
        fields,
        table + " must list every header field");
  }

  /** One test per hex dump of the document, named by its caption. */
  @TestFactory
  Stream<DynamicTest> everyExampleFrameDecodesAndReencodesToItsBytes() {
    List<Dump> dumps = dumps();
    assertFalse(dumps.isEmpty(), "no hex dump found in " + DOC.path());
    return dumps.stream().map(dump -> DynamicTest.dynamicTest(dump.caption(), dump::check));
  }

  /**
   * Section 10's token: signed with the development secret the text names, carrying the claims it
   * shows, and the one inside the LOGIN frame's body.
   */
  @Test
  void workedLoginTokenIsSignedAsDescribedAndSentInTheLogin() throws GeneralSecurityException {
    String text = DOC.text();
    String secret = group(text, "development secret `([^`]+)`");
    String claims = group(text, "Token claims `(\\{[^`]+\\})`");
    String header = group(text, "header `(\\{[^`]+\\})`");
    List<String> tokens =
        DOC.blocks().stream()
            .filter(b -> b.lines().size() == 1 && JWT.matcher(b.lines().get(0)).matches())
            .map(b -> b.lines().get(0))
            .toList();
    assertEquals(1, tokens.size(), "one example token");
    Matcher token = JWT.matcher(tokens.get(0));
    assertTrue(token.matches());
    assertEquals(header, base64Url(token.group(1)), "token header");
    assertEquals(claims, base64Url(token.group(2)), "token claims");
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] signature =
        hmac.doFinal((token.group(1) + "." + token.group(2)).getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        Base64.getUrlEncoder().withoutPadding().encodeToString(signature),
        token.group(3),
        "signature with " + secret);
    JsonObject claimed = new JsonObject(claims);
    assertEquals(
        Instant.parse(group(text, "`exp` = (\\S+)\\)")).getEpochSecond(),
        claimed.getLong("exp"),
        "exp as the text gives it");

    Dump login =
        dumps().stream()
            .filter(d -> d.cmd() == Command.LOGIN.code())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no LOGIN frame in the worked example"));
    JsonObject body = login.frame().body().toJsonObject();
    assertEquals(
        group(text, "body `(\\{\"uid\"[^`]+\\})`").replace("<token above>", tokens.get(0)),
        body.encode(),
        "the LOGIN body is the one the text shows");
    assertEquals(tokens.get(0), body.getString("token"), "the LOGIN carries the token shown");
    assertEquals(claimed.getString("sub"), body.getString("uid"), "uid = sub");
    assertEquals(claimed.getInteger("appcode"), body.getInteger("appcode"), "appcode = claim");
  }

  /** A hex dump and the caption line above it, in a fenced block. */
  private record Dump(String caption, int line, Buffer bytes) {

    int cmd() {
      return Integer.parseInt(captionPart(1), 16);
    }

    private String captionPart(int group) {
      Matcher m = CAPTION.matcher(caption);
      if (!m.find()) {
        throw new AssertionError(
            "line " + line + ": the dump's caption does not say \"cmd 0xHHHH, seq N, body …\"");
      }
      return m.group(group);
    }

    /** The one frame the dump holds, as the gate's decoder reads it. */
    Frame frame() {
      List<Frame> frames = new ArrayList<>();
      List<FrameViolation> violations = new ArrayList<>();
      FrameDecoder decoder =
          new FrameDecoder(
              Wire.DEFAULT_MAX_BODY,
              new FrameDecoder.Sink() {
                @Override
                public void frame(Frame frame) {
                  frames.add(frame);
                }

                @Override
                public void violation(FrameViolation violation) {
                  violations.add(violation);
                }
              });
      // twice: a dump that held a partial frame or trailing bytes would not decode to two frames
      decoder.feed(bytes.copy());
      decoder.feed(bytes.copy());
      assertEquals(List.of(), violations, "line " + line + ": violations");
      assertEquals(2, frames.size(), "line " + line + ": the dump is exactly one frame");
      assertEquals(frames.get(0), frames.get(1));
      return frames.get(0);
    }

    void check() throws MalformedBodyException {
      Frame frame = frame();
      assertEquals(cmd(), frame.cmd(), "cmd");
      assertEquals(Long.parseLong(captionPart(2)), frame.seq(), "seq");
      Command command = Command.fromCode(frame.cmd() & ~Command.RESPONSE_BIT);
      assertNotNull(command, "cmd " + hex(frame.cmd()) + " is no command");
      assertTrue(
          Pattern.compile("\\b" + command.name() + "\\b").matcher(caption).find(),
          "the caption names " + command.name());
      Matcher m = CAPTION.matcher(caption);
      assertTrue(m.find());
      if (m.group(3) != null) {
        assertEquals(0, frame.body().length(), "no body");
      } else if (m.group(4) != null) {
        assertEquals(Integer.parseInt(m.group(4)), frame.body().length(), "body length");
      } else {
        assertEquals(m.group(5), frame.body().toString(StandardCharsets.UTF_8), "body");
      }
      JsonObject body = BodyParser.parse(frame.body());
      Buffer encoded = FrameEncoder.encode(frame.cmd(), frame.seq(), body.isEmpty() ? null : body);
      assertEquals(hexDump(bytes), hexDump(encoded), "FrameEncoder writes the example's bytes");
      if (frame.cmd() == Command.PUSH.responseCode()) {
        assertEquals(
            hexDump(bytes),
            hexDump(FrameEncoder.pushAck(frame.seq(), body.getString("msgid"))),
            "FrameEncoder.pushAck writes the example's bytes");
      }
    }
  }

  /**
   * Every hex dump in the fenced blocks, each checked to be written in the canonical layout (so
   * that its ASCII column is true as well), with the line above it as caption.
   */
  private static List<Dump> dumps() {
    List<Dump> dumps = new ArrayList<>();
    for (Block block : DOC.blocks()) {
      List<String> lines = block.lines();
      int i = 0;
      while (i < lines.size()) {
        if (!DUMP_LINE.matcher(lines.get(i)).matches()) {
          i++;
          continue;
        }
        int first = block.line() + i;
        assertTrue(
            i > 0 && !lines.get(i - 1).isBlank(), "line " + first + ": a hex dump needs a caption");
        String caption = lines.get(i - 1);
        Buffer bytes = Buffer.buffer();
        while (i < lines.size() && DUMP_LINE.matcher(lines.get(i)).matches()) {
          String line = lines.get(i);
          assertEquals(
              String.format("%04x", bytes.length()),
              line.substring(0, 4),
              "line " + (block.line() + i) + ": offset");
          String hexPart = line.substring(6, Math.min(line.length(), 53)).strip();
          Buffer row = Buffer.buffer();
          for (String b : hexPart.split(" ")) {
            row.appendByte((byte) Integer.parseInt(b, 16));
          }
          assertEquals(
              dumpLine(bytes.length(), row), line, "line " + (block.line() + i) + ": layout");
          bytes.appendBuffer(row);
          i++;
        }
        dumps.add(new Dump(caption, first, bytes));
      }
    }
    return dumps;
  }

  /** One line of a hex dump as the document writes it. */
  private static String dumpLine(int offset, Buffer row) {
    StringBuilder hex = new StringBuilder();
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      int b = row.getUnsignedByte(i);
      hex.append(i == 0 ? "" : " ").append(String.format("%02x", b));
      ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return String.format("%04x  %-47s  %s", offset, hex, ascii);
  }

  private static String hexDump(Buffer bytes) {
    StringBuilder dump = new StringBuilder();
    for (int offset = 0; offset < bytes.length(); offset += 16) {
      dump.append(dumpLine(offset, bytes.getBuffer(offset, Math.min(offset + 16, bytes.length()))))
          .append('\n');
    }
    return dump.toString();
  }

  private static Command command(String name, Table table) {
    return Arrays.stream(Command.values())
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(table + " names " + name + ", not a Command"));
  }

  private static String hex(int cmd) {
    return String.format("0x%04X", cmd);
  }

  /** The first number in backticks in {@code cell} ("`0x43 0x52`": the bytes as one number). */
  private static long firstValue(String cell, int size) {
    String value = group(cell, "`([^`]+)`");
    long result = 0;
    String[] parts = value.split(" ");
    for (String part : parts) {
      long number =
          part.startsWith("0x") ? Long.parseLong(part.substring(2), 16) : Long.parseLong(part);
      result = parts.length == 1 ? number : result << 8 | number;
    }
    assertTrue(parts.length == 1 || parts.length == size, cell + ": one value or one per byte");
    return result;
  }

  private static long unsigned(Buffer bytes) {
    long value = 0;
    for (int i = 0; i < bytes.length(); i++) {
      value = value << 8 | bytes.getUnsignedByte(i);
    }
    return value;
  }

  private static String base64Url(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError(DOC.path() + " no longer says " + regex);
    }
    return m.group(1);
  }
}
