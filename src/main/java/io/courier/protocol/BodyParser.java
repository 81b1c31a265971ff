package io.courier.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses a frame body into a JSON object, enforcing protocol v1's rules: strict UTF-8 (malformed or
 * overlong sequences and lone surrogates are rejected, not replaced), a JSON object at the top, at most
 * {@value #MAX_DEPTH} levels of nesting (the top object is level 1). An empty body is {@code {}}.
 *
 * <p>The depth is checked by a scan of the text before the JSON parser runs, so a deeply nested body
 * costs one linear pass and never reaches the parser's recursion.
 */
public final class BodyParser {
  public static final int MAX_DEPTH = 32;

  private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() ->
    StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT));

  private BodyParser() {
  }

  public static JsonObject parse(Buffer body) throws MalformedBodyException {
    if (body.length() == 0) {
      return new JsonObject();
    }
    String text = decodeUtf8(body);
    checkShape(text);
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new MalformedBodyException("body is not valid JSON");
    }
    if (!(value instanceof JsonObject)) {
      throw new MalformedBodyException("body is not a JSON object");
    }
    return (JsonObject) value;
  }

  private static String decodeUtf8(Buffer body) throws MalformedBodyException {
    CharsetDecoder decoder = UTF8.get().reset();
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(body.getBytes()));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedBodyException("body is not valid UTF-8");
    }
  }

  private static void checkShape(String text) throws MalformedBodyException {
    int i = 0;
    while (i < text.length() && isJsonWhitespace(text.charAt(i))) {
      i++;
    }
    if (i == text.length() || text.charAt(i) != '{') {
      throw new MalformedBodyException("body is not a JSON object");
    }
    int depth = 0;
    boolean inString = false;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > MAX_DEPTH) {
          throw new MalformedBodyException("body nests deeper than " + MAX_DEPTH + " levels");
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
