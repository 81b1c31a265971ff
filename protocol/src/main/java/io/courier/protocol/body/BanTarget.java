package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonObject;

/**
 * Whom an operator's ban applies to (event-bus.md, operator controls): {@code {uid}} or {@code
 * {ip}}, exactly one. {@code ip} is an address or a CIDR block ({@code 203.0.113.0/24}, {@code
 * 2001:db8::/32}); this record checks only its length, the server parses it (400 when it is not
 * one) and answers with its canonical form. The body of {@code courier.admin.unban} is this record.
 *
 * @param uid the banned user, or null
 * @param ip the banned address or block, or null
 */
public record BanTarget(String uid, String ip) {
  /** Longest {@code ip}: an IPv6 address with a prefix fits in 43 chars. */
  public static final int MAX_IP_CHARS = 64;

  public BanTarget {
    if ((uid == null) == (ip == null)) {
      throw new IllegalArgumentException("exactly one of uid and ip");
    }
  }

  public static BanTarget uid(String uid) {
    return new BanTarget(uid, null);
  }

  public static BanTarget ip(String ip) {
    return new BanTarget(null, ip);
  }

  /** A key unique per target, as {@code uid:alice} or {@code ip:10.0.0.0/8}. */
  public String key() {
    return uid != null ? "uid:" + uid : "ip:" + ip;
  }

  /** Writes {@code uid} or {@code ip} into {@code json}. */
  public JsonObject writeTo(JsonObject json) {
    return uid != null ? json.put("uid", uid) : json.put("ip", ip);
  }

  public JsonObject toJson() {
    return writeTo(new JsonObject());
  }

  /** Reads {@code uid} or {@code ip} from a body; both, neither or a bad one is 400. */
  public static BanTarget fromJson(JsonObject json) throws MalformedBodyException {
    boolean hasUid = json.containsKey("uid");
    boolean hasIp = json.containsKey("ip");
    if (hasUid == hasIp) {
      throw new MalformedBodyException("exactly one of uid and ip is required");
    }
    if (hasUid) {
      return uid(Fields.uid(json, "uid"));
    }
    String ip = Fields.string(json, "ip");
    if (ip.isEmpty() || ip.length() > MAX_IP_CHARS) {
      throw new MalformedBodyException("ip must be 1-" + MAX_IP_CHARS + " chars");
    }
    return ip(ip);
  }
}
