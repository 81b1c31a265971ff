package io.courier.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The bodies of the frames the stock bridge (5.0.7, {@code FrameHelper}) writes for the outcome of
 * a business's request and for a message delivered to a business's registration, byte for byte, for
 * what the guard serves itself ({@link DirectSend}, {@link Registrations}):
 *
 * <pre>
 *  answer:    {"type":"message","address":&lt;replyAddress&gt;[,"replyAddress":..],"headers":{..}[,"body":..],"send":true}
 *  delivered: {"type":"message","address":&lt;address&gt;[,"replyAddress":..],"headers":{..}[,"body":..],"send":&lt;isSend&gt;}
 *  failure:   {"type":"err","address":&lt;replyAddress&gt;,"sourceAddress":&lt;address&gt;,"failureCode":..,
 *              "failureType":..,"message":..}
 * </pre>
 *
 * <p>The stock bridge builds a {@link JsonObject} of the envelope and encodes it to a {@code
 * String} with Jackson's character generator, then to UTF-8. Routing's answers and its C2S messages
 * and receipts (objects and arrays of strings, 32- and 64-bit integers, booleans and nulls, without
 * headers) are written here straight into the text, each string escaped with Jackson's own escape
 * table as that generator escapes it; any other body is written with the same generator calls as
 * {@link JsonObject#encode()} makes, without the envelope's and the headers' objects. The text is
 * then encoded as the bridge does. A byte generator would not do: Jackson's escapes a character
 * outside the BMP as two {@code \\u} escapes, where the bridge writes its four UTF-8 bytes.
 */
final class ReplyFrames {
  /** A generator factory with Jackson's defaults, which are Vert.x's for writing. */
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * Jackson's escapes of the ASCII characters, as its generators use them: 0 none, a character its
   * short escape ({@code \\n}), negative the {@code \\u00XX} form.
   */
  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

  /** The hexadecimal digits of a {@code \\u00XX} escape, upper case as Jackson writes them. */
  private static final char[] HEX = CharTypes.copyHexChars(true);

  /**
   * Nesting beyond which an answer is left to Jackson, whose limit (and failure) it then meets as
   * the bridge's would.
   */
  private static final int MAX_DIRECT_DEPTH = 100;

  private ReplyFrames() {}

  /**
   * The body of the {@code message} frame that carries {@code response} to {@code replyAddress}.
   */
  static byte[] message(String replyAddress, Message<?> response) {
    return envelope(
        replyAddress, response.replyAddress(), response.headers(), response.body(), true);
  }

  /**
   * The body of the {@code message} frame that carries {@code body}, an answer without headers or
   * reply address, to {@code replyAddress}.
   */
  static byte[] plainMessage(String replyAddress, Object body) {
    return envelope(replyAddress, null, null, body, true);
  }

  /**
   * The body of the {@code message} frame that delivers {@code message} to a business's
   * registration of its address.
   */
  static byte[] delivered(Message<?> message) {
    return envelope(
        message.address(),
        message.replyAddress(),
        message.headers(),
        message.body(),
        message.isSend());
  }

  /** The {@code message} frame's body; {@code headers} null or empty for none. */
  private static byte[] envelope(
      String address, String replyAddress, MultiMap headers, Object body, boolean send) {
    if (headers != null && !headers.isEmpty()) {
      return generated(address, replyAddress, headers, body, send);
    }
    StringBuilder text = new StringBuilder(256).append("{\"type\":\"message\",\"address\":");
    string(text, address);
    if (replyAddress != null) {
      string(text.append(",\"replyAddress\":"), replyAddress);
    }
    text.append(",\"headers\":{}");
    if (body == null || value(text.append(",\"body\":"), body, 0)) {
      return text.append(send ? ",\"send\":true}" : ",\"send\":false}")
          .toString()
          .getBytes(StandardCharsets.UTF_8);
    }
    return generated(address, replyAddress, null, body, send);
  }

  /**
   * Appends {@code value} as Jackson writes it; false, with part of it appended, if it is not made
   * only of the types written here.
   */
  private static boolean value(StringBuilder text, Object value, int depth) {
    Object plain = value;
    if (plain instanceof JsonObject object) {
      plain = object.getMap();
    } else if (plain instanceof JsonArray array) {
      plain = array.getList();
    }
    if (plain == null) {
      text.append("null");
    } else if (plain instanceof String string) {
      string(text, string);
    } else if (plain instanceof Integer number) {
      text.append(number.intValue());
    } else if (plain instanceof Long number) {
      text.append(number.longValue());
    } else if (plain instanceof Boolean bool) {
      text.append(bool.booleanValue());
    } else if (depth >= MAX_DIRECT_DEPTH) {
      return false;
    } else if (plain instanceof Map<?, ?> map) {
      text.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String name)) {
          return false;
        }
        if (!first) {
          text.append(',');
        }
        first = false;
        string(text, name);
        text.append(':');
        if (!value(text, entry.getValue(), depth + 1)) {
          return false;
        }
      }
      text.append('}');
    } else if (plain instanceof List<?> list) {
      text.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          text.append(',');
        }
        if (!value(text, list.get(i), depth + 1)) {
          return false;
        }
      }
      text.append(']');
    } else {
      return false;
    }
    return true;
  }

  /**
   * Appends {@code string} quoted and escaped as Jackson's character generator writes it. A string
   * without a character to escape, nearly every one, is appended whole: {@link
   * StringBuilder#append(CharSequence, int, int)} copies char by char.
   */
  private static void string(StringBuilder text, String string) {
    text.append('"');
    int length = string.length();
    int first = 0;
    while (first < length) {
      char c = string.charAt(first);
      if (c < ESCAPES.length && ESCAPES[c] != 0) {
        break;
      }
      first++;
    }
    if (first == length) {
      text.append(string).append('"');
      return;
    }
    int plainFrom = 0;
    for (int i = first; i < length; i++) {
      char c = string.charAt(i);
      if (c < ESCAPES.length && ESCAPES[c] != 0) {
        text.append(string, plainFrom, i).append('\\');
        int escape = ESCAPES[c];
        if (escape > 0) {
          text.append((char) escape);
        } else {
          text.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
        plainFrom = i + 1;
      }
    }
    text.append(string, plainFrom, length).append('"');
  }

  /** {@link #envelope} by Jackson's generator, for any body and headers. */
  private static byte[] generated(
      String address, String replyAddress, MultiMap headers, Object body, boolean send) {
    BufferRecycler recycler = FACTORY._getBufferRecycler();
    try (SegmentedStringWriter out = new SegmentedStringWriter(recycler)) {
      JsonGenerator generator = FACTORY.createGenerator(out);
      generator.writeStartObject();
      generator.writeStringField("type", "message");
      generator.writeStringField("address", address);
      if (replyAddress != null) {
        generator.writeStringField("replyAddress", replyAddress);
      }
      generator.writeFieldName("headers");
      if (headers == null || headers.isEmpty()) {
        generator.writeStartObject();
        generator.writeEndObject();
      } else {
        JsonObject copied = new JsonObject();
        for (Map.Entry<String, String> header : headers) {
          copied.put(header.getKey(), header.getValue());
        }
        JacksonCodec.encodeJson(copied, generator);
      }
      if (body != null) {
        generator.writeFieldName("body");
        JacksonCodec.encodeJson(body, generator);
      }
      generator.writeBooleanField("send", send);
      generator.writeEndObject();
      generator.close();
      return out.getAndClear().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EncodeException(e.getMessage(), e);
    } finally {
      recycler.releaseToPool();
    }
  }

  /** The body of the {@code err} frame that tells {@code replyAddress} its request failed. */
  static byte[] failure(String address, String replyAddress, ReplyException failure) {
    return new JsonObject()
        .put("type", "err")
        .put("address", replyAddress)
        .put("sourceAddress", address)
        .put("failureCode", failure.failureCode())
        .put("failureType", failure.failureType().name())
        .put("message", failure.getMessage())
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }
}
