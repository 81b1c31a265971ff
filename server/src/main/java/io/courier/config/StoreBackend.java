package io.courier.config;

import java.util.Locale;

/** Where offline messages and history live ({@code store.backend}). */
public enum StoreBackend {
  /** H2 files under {@code data.dir}: one node only. */
  EMBEDDED,
  /** MySQL databases, sharded over {@code store.mysqlShards}. */
  MYSQL;

  /** The name in the configuration: {@code embedded}, {@code mysql}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
