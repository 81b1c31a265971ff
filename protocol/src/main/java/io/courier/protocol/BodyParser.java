package io.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses a frame body into a JSON object, enforcing protocol v1's rules: strict UTF-8 (malformed or
 * overlong sequences and lone surrogates are rejected, not replaced), strict JSON (RFC 8259: no
 * comments, no trailing content), a JSON object at the top, at most {@value #MAX_DEPTH} levels of
 * nesting (the top object is level 1). An empty body is {@code {}}.
 *
 * <p>Parsing uses a Jackson factory of its own rather than Vert.x's {@code Json.decodeValue}, whose
 * factory allows comments; its nesting limit makes Jackson stop at level 33 instead of a separate
 * scan.
 */
public final class BodyParser {
  public static final int MAX_DEPTH = 32;

  private static final JsonFactory STRICT_JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build();

  private static final ThreadLocal<CharsetDecoder> UTF8 =
      ThreadLocal.withInitial(
          () ->
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT));

  private BodyParser() {}

  public static JsonObject parse(Buffer body) throws MalformedBodyException {
    if (body.length() == 0) {
      return new JsonObject();
    }
    byte[] bytes = body.getBytes();
    Object value;
    try {
      JsonParser parser =
          isAscii(bytes)
              ? STRICT_JSON.createParser(bytes)
              : STRICT_JSON.createParser(decodeUtf8(bytes));
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException | IOException e) {
      if (e.getCause() instanceof StreamConstraintsException) {
        throw new MalformedBodyException("body nests deeper than " + MAX_DEPTH + " levels");
      }
      throw new MalformedBodyException("body is not valid JSON");
    }
    if (!(value instanceof JsonObject)) {
      throw new MalformedBodyException("body is not a JSON object");
    }
    return (JsonObject) value;
  }

  /** Pure ASCII is valid UTF-8 as it is: most bodies are, and skip the strict decoder. */
  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static String decodeUtf8(byte[] bytes) throws MalformedBodyException {
    CharsetDecoder decoder = UTF8.get().reset();
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedBodyException("body is not valid UTF-8");
    }
  }
}
