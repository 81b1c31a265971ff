package io.courier.bridge;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Stand-ins for Vert.x interfaces of which the stock bridge uses a handful of methods ({@link
 * InProcessBridge}). A stand-in answers the methods its {@link Calls} knows and throws {@link
 * UnsupportedOperationException} for every other one, so a bridge version that starts using more of
 * the interface fails at once, by name.
 */
final class Stub {

  /** The methods a stand-in implements. */
  @FunctionalInterface
  interface Calls {
    /**
     * The result of {@code method}; {@link #unsupported} for a method the stand-in does not
     * implement.
     */
    Object call(Object self, Method method, Object[] args);
  }

  private Stub() {}

  static <T> T of(Class<T> type, Calls calls) {
    Object stub =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              switch (method.getName()) {
                case "hashCode":
                  if (method.getParameterCount() == 0) {
                    return System.identityHashCode(self);
                  }
                  break;
                case "equals":
                  if (method.getParameterCount() == 1) {
                    return self == args[0];
                  }
                  break;
                case "toString":
                  if (method.getParameterCount() == 0) {
                    return "in-process " + type.getSimpleName();
                  }
                  break;
                default:
                  break;
              }
              return calls.call(self, method, args);
            });
    return type.cast(stub);
  }

  static Object unsupported(Method method) {
    throw new UnsupportedOperationException(
        "the in-process bridge does not implement "
            + method.getDeclaringClass().getSimpleName()
            + "."
            + method.getName());
  }
}
