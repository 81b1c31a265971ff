package io.courier.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bodies of the frames the stock bridge (5.0.7, {@code FrameHelper}) writes for the outcome of
 * a business's request, byte for byte, for the requests the guard serves itself ({@link
 * DirectSend}):
 *
 * <pre>
 *  answer:  {"type":"message","address":&lt;replyAddress&gt;[,"replyAddress":..],"headers":{..}[,"body":..],"send":true}
 *  failure: {"type":"err","address":&lt;replyAddress&gt;,"sourceAddress":&lt;address&gt;,"failureCode":..,
 *            "failureType":..,"message":..}
 * </pre>
 *
 * <p>The stock bridge builds a {@link JsonObject} of the envelope and encodes it to a {@code
 * String}, then to UTF-8. The answer is written here with the same generator calls on a character
 * generator (as {@link JsonObject#encode()} makes them) straight from the reply, without the
 * envelope's and the headers' objects; the result is then encoded as the bridge does. A byte
 * generator would not do: Jackson's escapes a character outside the BMP as two {@code \\u} escapes,
 * where the bridge writes its four UTF-8 bytes.
 */
final class ReplyFrames {
  /** A generator factory with Jackson's defaults, which are Vert.x's for writing. */
  private static final JsonFactory FACTORY = new JsonFactory();

  private ReplyFrames() {}

  /**
   * The body of the {@code message} frame that carries {@code response} to {@code replyAddress}.
   */
  static byte[] message(String replyAddress, Message<?> response) {
    BufferRecycler recycler = FACTORY._getBufferRecycler();
    try (SegmentedStringWriter out = new SegmentedStringWriter(recycler)) {
      JsonGenerator generator = FACTORY.createGenerator(out);
      generator.writeStartObject();
      generator.writeStringField("type", "message");
      generator.writeStringField("address", replyAddress);
      if (response.replyAddress() != null) {
        generator.writeStringField("replyAddress", response.replyAddress());
      }
      generator.writeFieldName("headers");
      MultiMap headers = response.headers();
      if (headers.isEmpty()) {
        generator.writeStartObject();
        generator.writeEndObject();
      } else {
        JsonObject copied = new JsonObject();
        for (Map.Entry<String, String> header : headers) {
          copied.put(header.getKey(), header.getValue());
        }
        JacksonCodec.encodeJson(copied, generator);
      }
      Object body = response.body();
      if (body != null) {
        generator.writeFieldName("body");
        JacksonCodec.encodeJson(body, generator);
      }
      generator.writeBooleanField("send", true);
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
