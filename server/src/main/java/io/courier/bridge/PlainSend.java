package io.courier.bridge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Recognises, in one streaming pass and without building the JSON tree, a {@code send} frame that
 * the bridge can take byte for byte: what {@link FrameCheck} would pass and re-encode to the same
 * JSON. That is the frame of every ordinary request and reply, so it is forwarded as received.
 *
 * <p>A frame is plain when its body is one JSON object with only the fields the bridge reads, each
 * once: {@code type} = {@code "send"}, {@code address} a non-empty string, {@code replyAddress} and
 * {@code message} strings, {@code failureCode} a 32-bit integer, {@code headers} an object of
 * distinct names whose values are strings except {@code timeout} (a positive integer up to 64 bits)
 * and {@code localOnly} (a boolean), and {@code body} any JSON value. Anything else (a {@code null}
 * outside the body, another field, a duplicate name, a header value to convert, {@code codecName})
 * is left to the full check, and so is a frame with a string or name that holds an unpaired
 * surrogate, which the full check refuses.
 *
 * <p>The secret header, when present, is reported with the byte range of its member in the body
 * (with one adjacent comma), so that the frame can be forwarded without it by cutting that range
 * out; and the body's top-level {@code to_appcode}, for the business's appcode rule ({@link
 * Business}). A body that names {@code to_appcode} twice is left to the full check, which reads it
 * as the bridge does.
 *
 * <p>For a send to an address the caller names ({@code treeFor}), the body object is also read into
 * the tree Vert.x would decode from it (the same maps, lists, strings and numbers, a repeated name
 * keeping its last value in its first place), with the reply address and the headers, so that the
 * request can be served without parsing the frame again ({@link DirectSend}). The tree is built
 * only when the address comes before the body, as every ordinary client writes it; otherwise the
 * frame is plain all the same, without a tree.
 *
 * <p>The parser is Vert.x's own ({@link JacksonCodec#createParser(Buffer)}: same features and
 * limits as the bridge's decoding), and every string and number is decoded as Vert.x decodes it, so
 * a frame passed here cannot fail the bridge's parse (malformed UTF-8 anywhere, trailing content, a
 * number out of bounds). Strings are decoded and checked for surrogates in the parser's own buffer
 * ({@link JsonParser#getTextCharacters()}) rather than each copied into a {@code String}.
 *
 * <p>The parser's pass ({@link #parse}) is the contract; the frames that business clients write are
 * read from their bytes first ({@link PlainSendReader}), which gives exactly the parser's answer
 * when it gives one, and leaves the parser every frame it is not sure of.
 */
final class PlainSend {
  // the frame's fields, one bit each, as both passes (PlainSendReader's too) track them
  static final int TYPE = 1;
  static final int ADDRESS = 2;
  static final int REPLY_ADDRESS = 4;
  static final int MESSAGE = 8;
  static final int FAILURE_CODE = 16;
  static final int HEADERS = 32;
  static final int BODY = 64;

  /** What {@link #readValue} answers for a value that cannot be read. */
  private static final Object INVALID = new Object();

  /**
   * A plain send frame.
   *
   * @param address its address
   * @param secret the value of its secret header, or null without one
   * @param cutStart with a secret header, the offset in the body of the first byte to cut to remove
   *     it
   * @param cutEnd with a secret header, the offset in the body after the last byte to cut
   * @param toAppcode the {@code to_appcode} of the body when it is an object holding one that is a
   *     32-bit integer, else null
   * @param replyAddress its reply address, or null without one
   * @param headers its headers, the secret's excepted, in their order: {@code timeout} as a {@link
   *     Long}, {@code localOnly} as a {@link Boolean}, the others as strings; empty without any
   * @param tree the body object as Vert.x decodes it, when {@code treeFor} named the address and
   *     the body is an object that came after it, else null
   * @param failureCode its {@code failureCode}, or null without one
   * @param message its {@code message}, or null without one
   */
  record Plain(
      String address,
      String secret,
      int cutStart,
      int cutEnd,
      Integer toAppcode,
      String replyAddress,
      Map<String, Object> headers,
      JsonObject tree,
      Integer failureCode,
      String message) {}

  /**
   * The options the stock bridge makes of a frame's {@code headers}, as {@link Plain#headers} or
   * the frame's decoded JSON holds them: {@code timeout} (a number) the send timeout, {@code
   * localOnly} local delivery, the others (strings) message headers in their order ({@link
   * FrameCheck} has refused {@code codecName}).
   */
  static DeliveryOptions deliveryOptions(Map<String, Object> headers) {
    DeliveryOptions options = new DeliveryOptions();
    headers.forEach(
        (name, value) -> {
          switch (name) {
            case "timeout":
              options.setSendTimeout(((Number) value).longValue());
              break;
            case "localOnly":
              options.setLocalOnly((Boolean) value);
              break;
            default:
              options.addHeader(name, value.toString());
          }
        });
    return options;
  }

  /** The {@code to_appcode} seen at the top of the body. */
  private static final class Body {
    boolean appcodeSeen;
    Integer toAppcode;
  }

  /**
   * The secret header seen while reading the headers, and where its member starts and ends; and the
   * other headers.
   */
  private static final class Secret {
    String value;
    long cutStart = -1;
    long cutEnd = -1;
    Map<String, Object> others = Map.of();
  }

  private PlainSend() {}

  /**
   * What the plain send frame {@code body} is, or null when it is not one; with the tree of its
   * body when {@code treeFor} accepts its address. The frames that business clients write are read
   * from their bytes ({@link PlainSendReader}); the parser decides every frame the reader is not
   * sure of.
   */
  static Plain scan(Buffer body, Predicate<String> treeFor) {
    Plain plain = PlainSendReader.read(body, treeFor);
    return plain != null ? plain : parse(body, treeFor);
  }

  /**
   * {@link #scan} by Vert.x's parser alone: the answer that {@link PlainSendReader} must give
   * whenever it gives one.
   */
  static Plain parse(Buffer body, Predicate<String> treeFor) {
    try (JsonParser parser = JacksonCodec.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      int seen = 0;
      Secret secret = new Secret();
      Body fields = new Body();
      boolean send = false;
      String address = null;
      String replyAddress = null;
      Integer failureCode = null;
      String message = null;
      JsonObject tree = null;
      String name;
      while ((name = parser.nextFieldName()) != null) {
        JsonToken value = parser.nextToken();
        int field;
        switch (name) {
          case "type":
            field = TYPE;
            send =
                value == JsonToken.VALUE_STRING && FrameType.SEND.wire().equals(parser.getText());
            break;
          case "address":
            field = ADDRESS;
            address = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            if (address != null && UnpairedSurrogates.in(address)) {
              return null;
            }
            break;
          case "replyAddress":
            field = REPLY_ADDRESS;
            if (value != JsonToken.VALUE_STRING || !isText(parser)) {
              return null;
            }
            replyAddress = parser.getText();
            break;
          case "message":
            field = MESSAGE;
            if (value != JsonToken.VALUE_STRING || !isText(parser)) {
              return null;
            }
            message = parser.getText();
            break;
          case "failureCode":
            field = FAILURE_CODE;
            if (value != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            failureCode = parser.getIntValue();
            break;
          case "headers":
            field = HEADERS;
            if (value != JsonToken.START_OBJECT || !plainHeaders(parser, secret)) {
              return null;
            }
            break;
          case "body":
            field = BODY;
            if (value != JsonToken.START_OBJECT) {
              if (!skipValue(parser, value)) {
                return null;
              }
            } else if (address != null && treeFor.test(address)) {
              Map<String, Object> read = readBody(parser, fields);
              if (read == null) {
                return null;
              }
              tree = new JsonObject(read);
            } else if (!scanBody(parser, fields)) {
              return null;
            }
            break;
          default:
            return null;
        }
        if ((seen & field) != 0) {
          return null;
        }
        seen |= field;
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
      if (!send || address == null || address.isEmpty()) {
        return null;
      }
      return new Plain(
          address,
          secret.value,
          (int) secret.cutStart,
          (int) secret.cutEnd,
          fields.toAppcode,
          replyAddress,
          secret.others,
          tree,
          failureCode,
          message);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads the headers object (its start already read) to its end; whether it is plain. A secret
   * header goes to {@code secret}, with the range that removes it: from the end of the previous
   * value (its comma included) to the end of its own; or, when it comes first, from its name to the
   * next name, or to the end of its value when it is alone.
   */
  private static boolean plainHeaders(JsonParser parser, Secret secret) throws IOException {
    Set<String> names = null;
    long previousEnd = -1;
    String name;
    while ((name = parser.nextFieldName()) != null) {
      if (UnpairedSurrogates.in(name)) {
        return false;
      }
      long nameStart = parser.currentTokenLocation().getByteOffset();
      if (secret.cutStart >= 0 && secret.cutEnd < 0) {
        secret.cutEnd = nameStart;
      }
      JsonToken value = parser.nextToken();
      boolean ok;
      Object kept = null;
      switch (name) {
        case FrameCheck.SECRET_HEADER:
          ok = value == JsonToken.VALUE_STRING && isText(parser);
          if (ok) {
            secret.value = parser.getText();
            if (previousEnd >= 0) {
              secret.cutStart = previousEnd;
              secret.cutEnd = parser.currentLocation().getByteOffset();
            } else {
              secret.cutStart = nameStart;
            }
          }
          break;
        case "codecName":
          return false;
        case "timeout":
          ok =
              value == JsonToken.VALUE_NUMBER_INT
                  && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                  && parser.getLongValue() > 0;
          kept = ok ? parser.getLongValue() : null;
          break;
        case "localOnly":
          ok = value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE;
          kept = value == JsonToken.VALUE_TRUE;
          break;
        default:
          ok = value == JsonToken.VALUE_STRING && isText(parser);
          kept = ok ? parser.getText() : null;
      }
      if (names == null) {
        names = new HashSet<>();
      }
      if (!ok || !names.add(name)) {
        return false;
      }
      if (kept != null) {
        if (secret.others.isEmpty()) {
          secret.others = new LinkedHashMap<>();
        }
        secret.others.put(name, kept);
      }
      previousEnd = parser.currentLocation().getByteOffset();
    }
    if (secret.cutStart >= 0 && secret.cutEnd < 0) {
      secret.cutEnd = previousEnd;
    }
    return parser.currentToken() == JsonToken.END_OBJECT;
  }

  /**
   * Reads the body object (its start already read) to its end as {@link #skipValue} does, and notes
   * its top-level {@code to_appcode} in {@code body}; false if it cannot be read, or names {@code
   * to_appcode} twice (the full check then reads it as the bridge does: the last one counts).
   */
  private static boolean scanBody(JsonParser parser, Body body) throws IOException {
    String name;
    while ((name = parser.nextFieldName()) != null) {
      if (UnpairedSurrogates.in(name)) {
        return false;
      }
      JsonToken value = parser.nextToken();
      if (name.equals("to_appcode")) {
        if (body.appcodeSeen) {
          return false;
        }
        body.appcodeSeen = true;
        if (value == JsonToken.VALUE_NUMBER_INT
            && parser.getNumberType() == JsonParser.NumberType.INT) {
          body.toAppcode = parser.getIntValue();
        }
      }
      if (!skipValue(parser, value)) {
        return false;
      }
    }
    return parser.currentToken() == JsonToken.END_OBJECT;
  }

  /**
   * Reads the body object (its start already read) to its end as {@link #scanBody} does, into the
   * map Vert.x's decoder would build of it; null if it cannot be read or names {@code to_appcode}
   * twice.
   */
  private static Map<String, Object> readBody(JsonParser parser, Body body) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    String name;
    while ((name = parser.nextFieldName()) != null) {
      if (UnpairedSurrogates.in(name)) {
        return null;
      }
      JsonToken token = parser.nextToken();
      if (name.equals("to_appcode")) {
        if (body.appcodeSeen) {
          return null;
        }
        body.appcodeSeen = true;
        if (token == JsonToken.VALUE_NUMBER_INT
            && parser.getNumberType() == JsonParser.NumberType.INT) {
          body.toAppcode = parser.getIntValue();
        }
      }
      Object value = readValue(parser, token);
      if (value == INVALID) {
        return null;
      }
      object.put(name, value);
    }
    return parser.currentToken() == JsonToken.END_OBJECT ? object : null;
  }

  /**
   * The value that starts with {@code token} as Vert.x's decoder reads it (objects as {@link
   * LinkedHashMap}, arrays as {@link ArrayList}, numbers as {@link JsonParser#getNumberValue()}),
   * or {@link #INVALID}.
   */
  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      return INVALID;
    }
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Object> object = new LinkedHashMap<>();
          String name;
          while ((name = parser.nextFieldName()) != null) {
            if (UnpairedSurrogates.in(name)) {
              return INVALID;
            }
            Object value = readValue(parser, parser.nextToken());
            if (value == INVALID) {
              return INVALID;
            }
            object.put(name, value);
          }
          return parser.currentToken() == JsonToken.END_OBJECT ? object : INVALID;
        }
      case START_ARRAY:
        {
          List<Object> array = new ArrayList<>();
          JsonToken next;
          while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
            Object value = readValue(parser, next);
            if (value == INVALID) {
              return INVALID;
            }
            array.add(value);
          }
          return array;
        }
      case VALUE_STRING:
        return isText(parser) ? parser.getText() : INVALID;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return parser.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return INVALID;
    }
  }

  /**
   * Reads the value that starts with {@code token}, decoding its strings and numbers; false if it
   * cannot be.
   */
  private static boolean skipValue(JsonParser parser, JsonToken token) throws IOException {
    int depth = 0;
    JsonToken current = token;
    while (true) {
      if (current == null) {
        return false;
      }
      switch (current) {
        case START_OBJECT:
        case START_ARRAY:
          depth++;
          break;
        case END_OBJECT:
        case END_ARRAY:
          depth--;
          break;
        case VALUE_STRING:
          if (!isText(parser)) {
            return false;
          }
          break;
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          parser.getNumberValue();
          break;
        case FIELD_NAME:
          if (UnpairedSurrogates.in(parser.currentName())) {
            return false;
          }
          break;
        case VALUE_TRUE:
        case VALUE_FALSE:
        case VALUE_NULL:
          break;
        default:
          return false;
      }
      if (depth == 0) {
        return true;
      }
      current = parser.nextToken();
    }
  }

  /** Decodes the current string value; whether it is text, without an unpaired surrogate. */
  private static boolean isText(JsonParser parser) throws IOException {
    char[] chars = parser.getTextCharacters();
    int start = parser.getTextOffset();
    return !UnpairedSurrogates.in(chars, start, start + parser.getTextLength());
  }
}
