package io.courier.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;

/**
 * A statement over many rows at once — a multi-row {@code INSERT ... VALUES (...), (...)} or a
 * row-value {@code IN ((...), (...))} list — run in as few round trips as the limits below allow.
 *
 * <p>Rows go in chunks whose sizes are powers of two up to {@value #MAX_ROWS}: 300 rows are
 * statements of 128, 128, 32, 8 and 4 rows. So one statement has at most {@code log2(MAX_ROWS) + 1}
 * = 8 distinct SQL texts, which the MySQL client's prepared-statement cache keeps, rather than one
 * text per batch size (a miss is a prepare round trip). A chunk also stops before its rows' text
 * exceeds {@value #MAX_CHARS} characters, so a statement stays far below MySQL's default 16 MiB
 * {@code max_allowed_packet} whatever the contents.
 *
 * <p>One {@code executeBatch} of the single-row text was rejected: the reactive MySQL client runs
 * it as one round trip per row, waiting for each row's answer.
 */
final class MultiRowStatement<T> {
  /**
   * Most rows in one statement: 128 × 12 parameters stays far below MySQL's 65,535 per statement.
   */
  static final int MAX_ROWS = 128;

  /** Most characters of row text in one statement: 1 Mi, 4 MiB in utf8mb4 at worst. */
  static final int MAX_CHARS = 1 << 20;

  private final int width;
  private final BiConsumer<T, Tuple> bind;
  private final ToIntFunction<T> chars;

  /** Element {@code i} is the text for {@code 2^i} rows. */
  private final String[] sqlBySize = new String[Integer.numberOfTrailingZeros(MAX_ROWS) + 1];

  /**
   * A statement whose rows hold only keys: {@value #MAX_ROWS} rows of a few keys of at most {@link
   * SqlMessageStore#MAX_KEY_CHARS} characters stay far below {@link #MAX_CHARS}, so their text is
   * not counted.
   */
  MultiRowStatement(String prefix, String suffix, int width, BiConsumer<T, Tuple> bind) {
    this(prefix, suffix, width, bind, item -> 0);
  }

  /**
   * @param prefix text before the rows, e.g. {@code INSERT INTO t (a, b) VALUES } or {@code ... IN
   *     (}
   * @param suffix text after the rows, e.g. {@code )} closing an {@code IN} list, or an {@code ON
   *     DUPLICATE KEY} clause
   * @param width parameters per row
   * @param bind adds one row's {@code width} parameters to the statement's tuple
   * @param chars the text size of one row, for {@link #MAX_CHARS}
   */
  MultiRowStatement(
      String prefix, String suffix, int width, BiConsumer<T, Tuple> bind, ToIntFunction<T> chars) {
    this.width = width;
    this.bind = bind;
    this.chars = chars;
    String row = "(" + "?, ".repeat(width - 1) + "?)";
    for (int slot = 0; slot < sqlBySize.length; slot++) {
      int size = 1 << slot;
      StringBuilder text =
          new StringBuilder(prefix.length() + size * (row.length() + 2) + suffix.length())
              .append(prefix);
      for (int i = 0; i < size; i++) {
        text.append(i == 0 ? "" : ", ").append(row);
      }
      sqlBySize[slot] = text.append(suffix).toString();
    }
  }

  /**
   * Runs the statement over {@code items}, one chunk after the other, and returns the rows of all
   * chunks.
   */
  Future<List<Row>> run(SqlConnection conn, List<T> items) {
    List<Row> rows = new ArrayList<>();
    return chunks(conn, items, (part, result) -> result.forEach(rows::add)).map(rows);
  }

  /**
   * Runs this insert over {@code items} as multi-row statements like {@link #run}, and returns the
   * items of every statement whose update count exceeds its number of rows: a statement whose
   * {@code ON DUPLICATE KEY UPDATE} changed a row already there. A row counts 1 when inserted and 2
   * when an existing row was changed; a duplicate left unchanged counts 1, since the reactive
   * client asks for found rows (it does unless {@code useAffectedRows} is set). So a statement
   * whose duplicates all stay unchanged never exceeds its number of rows.
   */
  Future<List<T>> insert(SqlConnection conn, List<T> items) {
    List<T> changed = new ArrayList<>();
    return chunks(
            conn,
            items,
            (part, result) -> {
              if (result.rowCount() > part.size()) {
                changed.addAll(part);
              }
            })
        .map(changed);
  }

  /**
   * Runs the statement over {@code items}, one chunk after the other, each result to {@code done}.
   */
  private Future<Void> chunks(
      SqlConnection conn, List<T> items, BiConsumer<List<T>, RowSet<Row>> done) {
    Future<Void> chain = Future.succeededFuture();
    int from = 0;
    while (from < items.size()) {
      int size = chunk(items, from);
      List<T> part = items.subList(from, from + size);
      chain =
          chain.compose(
              v ->
                  conn.preparedQuery(sql(size))
                      .execute(tuple(part))
                      .map(
                          result -> {
                            done.accept(part, result);
                            return null;
                          }));
      from += size;
    }
    return chain;
  }

  /**
   * The size of the chunk that starts at {@code from}: a power of two, within both limits, at least
   * 1.
   */
  private int chunk(List<T> items, int from) {
    int count = 0;
    long text = 0;
    while (count < MAX_ROWS && from + count < items.size()) {
      text += chars.applyAsInt(items.get(from + count));
      if (count > 0 && text > MAX_CHARS) {
        break;
      }
      count++;
    }
    return Integer.highestOneBit(count);
  }

  private Tuple tuple(List<T> part) {
    Tuple tuple = Tuple.tuple(new ArrayList<>(part.size() * width));
    part.forEach(item -> bind.accept(item, tuple));
    return tuple;
  }

  private String sql(int size) {
    return sqlBySize[Integer.numberOfTrailingZeros(size)];
  }
}
