package io.courier.config;

import io.courier.contract.Addresses;
import io.courier.protocol.Fields;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * The {@code bridge.businesses} value: a JSON object from business name to {@code {secret?,
 * certificate?, appcodes, send?, register?}}; in the environment the same JSON object as text.
 * Checked here: names, at least one credential per business, secrets of at least {@value
 * Secrets#MIN_BYTES} bytes and distinct, certificate subjects distinct, appcodes, and patterns that
 * can cover an address of the business API (a pattern that cannot is a mistake that would refuse
 * everything silently).
 */
final class BridgeBusinessesType implements ValueType<List<BridgeBusiness>> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
  private static final Set<String> FIELDS =
      Set.of("secret", "certificate", "appcodes", "send", "register");
  private static final List<String> SEND_ADDRESSES =
      List.of(
          Addresses.S2C,
          Addresses.S2C_MULTI,
          Addresses.PRESENCE,
          Addresses.GROUP_CREATE,
          Addresses.GROUP_MEMBERS,
          Addresses.GROUP_CLOSE,
          Addresses.GROUP_INFO);

  @Override
  public List<BridgeBusiness> parse(Object raw, ConfigKey<?> key) {
    if (!(raw instanceof JsonObject json)) {
      throw key.invalid("must be a JSON object, got " + ValueType.shown(raw));
    }
    List<BridgeBusiness> businesses = new ArrayList<>();
    Map<String, String> bySecret = new HashMap<>();
    Map<X500Principal, String> byCertificate = new HashMap<>();
    for (String name : json.fieldNames()) {
      String at = key.path() + "." + name;
      if (!NAME.matcher(name).matches() || BridgeBusiness.RESERVED_NAMES.contains(name)) {
        throw key.invalidAt(
            at,
            "is not a business name (1-64 characters of [A-Za-z0-9_-], not "
                + String.join(" or ", new TreeSet<>(BridgeBusiness.RESERVED_NAMES))
                + ")");
      }
      if (!(json.getValue(name) instanceof JsonObject fields)) {
        throw key.invalidAt(at, "must be a JSON object");
      }
      for (String field : fields.fieldNames()) {
        if (!FIELDS.contains(field)) {
          throw key.invalidAt(
              at + "." + field, "is not a business field (one of " + new TreeSet<>(FIELDS) + ")");
        }
      }
      String secret = secret(fields.getValue("secret"), key, at + ".secret");
      X500Principal certificate = certificate(fields.getValue("certificate"), key, at);
      if (secret == null && certificate == null) {
        throw key.invalidAt(at, "needs a secret or a certificate");
      }
      if (secret != null && bySecret.putIfAbsent(secret, name) != null) {
        throw key.invalidAt(at + ".secret", "is also the secret of " + bySecret.get(secret));
      }
      if (certificate != null && byCertificate.putIfAbsent(certificate, name) != null) {
        throw key.invalidAt(
            at + ".certificate", "is also the certificate of " + byCertificate.get(certificate));
      }
      List<AddressPattern> send = patterns(fields.getValue("send"), key, at + ".send");
      for (AddressPattern pattern : send) {
        if (SEND_ADDRESSES.stream().noneMatch(pattern::matches)) {
          throw key.invalidAt(
              at + ".send",
              "holds " + pattern + ", which covers none of " + String.join(", ", SEND_ADDRESSES));
        }
      }
      List<AddressPattern> register = patterns(fields.getValue("register"), key, at + ".register");
      for (AddressPattern pattern : register) {
        if (!pattern.matches(Addresses.RECEIPTS) && !coversSomeC2s(pattern)) {
          throw key.invalidAt(
              at + ".register",
              "holds "
                  + pattern
                  + ", which covers neither "
                  + Addresses.RECEIPTS
                  + " nor a "
                  + Addresses.C2S_PREFIX
                  + "* address");
        }
      }
      businesses.add(
          new BridgeBusiness(
              name,
              secret,
              certificate,
              appcodes(fields.getValue("appcodes"), key, at + ".appcodes"),
              send,
              register));
    }
    return List.copyOf(businesses);
  }

  private static String secret(Object value, ConfigKey<?> key, String at) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw key.invalidAt(at, "must be a string of at least " + Secrets.MIN_BYTES + " bytes");
    }
    String weakness = Secrets.weakness(text);
    if (weakness != null) {
      throw key.invalidAt(at, weakness);
    }
    return text;
  }

  private static X500Principal certificate(Object value, ConfigKey<?> key, String at) {
    if (value == null) {
      return null;
    }
    try {
      return new X500Principal((String) value);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw key.invalidAt(
          at + ".certificate", "must be a certificate subject such as \"CN=dispatch,O=Example\"");
    }
  }

  /** The appcodes of {@code "*"} (null: all) or a list of appcodes and {@code "a-b"} ranges. */
  private static Set<Integer> appcodes(Object value, ConfigKey<?> key, String at) {
    if ("*".equals(value)) {
      return null;
    }
    String expected =
        "must be \"*\" (all) or a non-empty list of appcodes 1-"
            + Fields.MAX_APPCODE
            + " and ranges such as \"101-103\"";
    if (!(value instanceof JsonArray listed) || listed.isEmpty()) {
      throw key.invalidAt(at, expected);
    }
    Set<Integer> appcodes = new TreeSet<>();
    for (Object item : listed) {
      int first;
      int last;
      Matcher range = item instanceof String text ? RANGE.matcher(text.trim()) : null;
      if (item instanceof Integer number) {
        first = number;
        last = number;
      } else if (range != null && range.matches()) {
        first = Integer.parseInt(range.group(1));
        last = range.group(2) == null ? first : Integer.parseInt(range.group(2));
      } else {
        throw key.invalidAt(at, expected + ", got " + ValueType.shown(item));
      }
      if (first < 1 || last > Fields.MAX_APPCODE || first > last) {
        throw key.invalidAt(at, expected + ", got " + ValueType.shown(item));
      }
      for (int appcode = first; appcode <= last; appcode++) {
        appcodes.add(appcode);
      }
    }
    return Collections.unmodifiableSet(appcodes);
  }

  private static List<AddressPattern> patterns(Object value, ConfigKey<?> key, String at) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray listed)) {
      throw key.invalidAt(at, "must be a list of address patterns");
    }
    List<AddressPattern> patterns = new ArrayList<>();
    for (Object item : listed) {
      try {
        patterns.add(AddressPattern.of(item instanceof String text ? text : null));
      } catch (IllegalArgumentException e) {
        throw key.invalidAt(at, e.getMessage() + ", got " + ValueType.shown(item));
      }
    }
    return List.copyOf(patterns);
  }

  /** Whether {@code pattern} can cover an address {@code courier.c2s.<something>}. */
  private static boolean coversSomeC2s(AddressPattern pattern) {
    String prefix = pattern.literalPrefix();
    boolean wildcard = !prefix.equals(pattern.toString());
    if (prefix.startsWith(Addresses.C2S_PREFIX)) {
      return wildcard || prefix.length() > Addresses.C2S_PREFIX.length();
    }
    return wildcard && Addresses.C2S_PREFIX.startsWith(prefix);
  }

  @Override
  public Object fromEnvironment(String text, ConfigKey<?> key) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw key.invalid("must be a JSON object (see docs/event-bus.md section 8.10)");
    }
  }

  @Override
  public Object toJson(List<BridgeBusiness> value) {
    JsonObject json = new JsonObject();
    for (BridgeBusiness business : value) {
      JsonObject fields = new JsonObject();
      if (business.secret() != null) {
        fields.put("secret", business.secret());
      }
      if (business.certificate() != null) {
        fields.put("certificate", business.certificate().getName());
      }
      fields.put(
          "appcodes",
          business.appcodes() == null ? "*" : new JsonArray(List.copyOf(business.appcodes())));
      fields.put("send", new JsonArray(business.send().stream().map(Object::toString).toList()));
      fields.put(
          "register", new JsonArray(business.register().stream().map(Object::toString).toList()));
      json.put(business.name(), fields);
    }
    return json;
  }

  @Override
  public String accepts() {
    return "see [event-bus.md section 8.10](event-bus.md#810-businesses)";
  }

  @Override
  public String describe(List<BridgeBusiness> value) {
    return value.isEmpty() ? "none" : "`" + value + "`";
  }
}
