package io.courier.testkit;

/**
 * A MySQL/MariaDB server the tests may create and drop databases on.
 *
 * @param container whether it is a container of this JVM, which goes away with it
 */
record MySqlServer(String host, int port, String user, String password, boolean container) {}
