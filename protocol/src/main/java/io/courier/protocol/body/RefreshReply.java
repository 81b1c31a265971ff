package io.courier.protocol.body;

import io.vertx.core.json.JsonObject;

/**
 * The body of the response {@code 0x8004} to a REFRESH that succeeded: {@code {code: 0, exp}}
 * (protocol.md 9.4). A REFRESH that did not succeed is answered like a LOGIN, with a {@link
 * LoginRefusal}.
 *
 * @param exp the {@code exp} of the token the session now uses, seconds since the epoch: the
 *     session ends then unless it is refreshed again
 */
public record RefreshReply(long exp) {

  public JsonObject toJson() {
    return Result.ok().toJson().put("exp", exp);
  }
}
