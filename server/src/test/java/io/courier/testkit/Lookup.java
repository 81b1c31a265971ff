package io.courier.testkit;

/** A backend server the tests can use, or why there is none. */
record Lookup<T>(T server, String missing) {
  static <T> Lookup<T> of(T server) {
    return new Lookup<>(server, null);
  }

  static <T> Lookup<T> none(String why) {
    return new Lookup<>(null, why);
  }

  boolean found() {
    return server != null;
  }
}
