package io.courier.protocol.body;

import io.courier.protocol.Fields;
import io.courier.protocol.MalformedBodyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The code-0 answer to {@code courier.s2c.multi}: {@code {code: 0, results: [{to_uid, msgid,
 * status}]}}, one entry per distinct receiver in request order. A refusal is a {@link Result}.
 */
public record S2cMultiAnswer(List<Entry> results) {

  /** What became of the message to {@code toUid}. */
  public record Entry(String toUid, long msgid, Step status) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("to_uid", toUid)
          .put("msgid", Long.toString(msgid))
          .put("status", status.wire());
    }

    public static Entry fromJson(JsonObject json) throws MalformedBodyException {
      return new Entry(
          Fields.string(json, "to_uid"),
          MessageFields.msgid(json, "msgid"),
          S2cAnswer.status(json));
    }
  }

  public S2cMultiAnswer {
    results = List.copyOf(results);
  }

  public JsonObject toJson() {
    JsonArray entries = new JsonArray(new ArrayList<>(results.size()));
    for (Entry entry : results) {
      entries.add(entry.toJson());
    }
    return Result.ok().toJson().put("results", entries);
  }

  /** Reads a code-0 answer (read its {@link Result} first). */
  public static S2cMultiAnswer fromJson(JsonObject json) throws MalformedBodyException {
    if (!(json.getValue("results") instanceof JsonArray)) {
      throw new MalformedBodyException("results must be an array");
    }
    List<Entry> results = new ArrayList<>();
    for (Object entry : json.getJsonArray("results")) {
      if (!(entry instanceof JsonObject)) {
        throw new MalformedBodyException("results must hold objects");
      }
      results.add(Entry.fromJson((JsonObject) entry));
    }
    return new S2cMultiAnswer(results);
  }
}
