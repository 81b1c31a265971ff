package io.courier.client;

import io.courier.protocol.Command;
import io.vertx.core.json.JsonObject;

/** A frame the server sent on its own initiative: PUSH, KICK or ERROR. */
public record ServerFrame(Command command, long seq, JsonObject body) {}
