package io.courier.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key of a {@code send_dedup} row: a sender's cmid, shared by the C2C writes ({@link
 * WriteBatch}) and the C2G writes ({@link SqlGroupMessages}), which both look their cmids up with
 * {@link #lockStored}.
 */
record DedupKey(String fromUid, int fromAppcode, String cmid) {
  private static final MultiRowStatement<DedupKey> SELECT_DEDUP =
      new MultiRowStatement<>(
          "SELECT from_uid, from_appcode, cmid, msgid, senddate FROM send_dedup"
              + " WHERE (from_uid, from_appcode, cmid) IN (",
          ") FOR UPDATE",
          3,
          DedupKey::bind);

  void bind(Tuple tuple) {
    tuple.addString(fromUid).addInteger(fromAppcode).addString(cmid);
  }

  /**
   * The stored dedup rows of {@code keys} ({@code msgid}, {@code senddate}) by key, locked for the
   * rest of the transaction; a key without a row is absent.
   */
  static Future<Map<DedupKey, Row>> lockStored(SqlConnection conn, List<DedupKey> keys) {
    return SELECT_DEDUP
        .run(conn, keys)
        .map(
            found -> {
              Map<DedupKey, Row> stored = new HashMap<>();
              for (Row row : found) {
                stored.put(
                    new DedupKey(
                        row.getString("from_uid"),
                        row.getInteger("from_appcode"),
                        row.getString("cmid")),
                    row);
              }
              return stored;
            });
  }
}
