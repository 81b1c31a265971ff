package io.courier.bridge;

import io.courier.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;

/**
 * The event bus as the stock bridge sees it: this node's, except that every request and send the
 * bridge makes on behalf of a business is delivered to this node's own consumers only. The bridge
 * runs only on a node with the logic role, whose routing verticles serve every address a business
 * may send to ({@link BridgePolicy}), so a business's request is served where it arrived and never
 * waits on another node, least of all on one that has just died while the cluster still lists its
 * consumers (the clustered event bus fails no request to a dead node: it waits for its timeout, 30
 * s by default on the bridge). Replies go back to wherever the request came from, as before. The
 * bridge registers no consumer: the guard serves registrations itself ({@link Registrations}).
 *
 * <p>If this node's routing role is not there (the node is starting or stopping), the request fails
 * at once with {@code NO_HANDLERS} instead of going to another node; the business retries, on this
 * bridge or another node's.
 *
 * <p>It is also where a business sees only its own appcodes in a presence answer ({@link
 * Business#presence}): the bridge calls {@code request} while it handles a frame, and so for the
 * business that frame acts for, which the guard names ({@link InProcessBridge#handle}).
 *
 * @implNote Chosen over: (1) node-local addresses, registered with {@code localConsumer} next to
 *     the shared ones, to which the guard would rewrite the business's address: a second
 *     registration per routing instance and address, and every request frame re-encoded, where the
 *     guard now forwards an ordinary request byte for byte; the local-only option reaches the same
 *     consumers. (2) The {@code localOnly} header, which the bridge already maps to this option: it
 *     is the business's to give, and the bridge honours {@code false} as well; here it is forced.
 *     (3) Failing a request when the member it went to leaves the cluster: the event bus does not
 *     say which member that is, and the business would see failures for requests that its own node
 *     could have served. Of the event bus the bridge (5.0.7) uses {@code request} and {@code send},
 *     plus {@code publish}, which the guard refuses before the bridge sees it, and {@code
 *     consumer}, which only a register reaches, served by the guard; anything else fails loudly
 *     ({@link Stub#unsupported}).
 */
final class NodeLocalBus {

  private NodeLocalBus() {}

  /**
   * The bridge's view of {@code eventBus}, scoped to {@code acting}: the business whose frame the
   * bridge is handling at the time of the call, or null for none.
   */
  static EventBus of(EventBus eventBus, Supplier<Business> acting) {
    return Stub.of(
        EventBus.class,
        (self, method, args) -> {
          int arity = args == null ? 0 : args.length;
          switch (method.getName()) {
            case "request":
              if (arity == 3) {
                String address = (String) args[0];
                Future<Message<Object>> reply = eventBus.request(address, args[1], local(args[2]));
                Business business = acting.get();
                if (business != null && business.scoped() && address.equals(Addresses.PRESENCE)) {
                  return reply.map(answer -> withBody(answer, business.presence(answer.body())));
                }
                return reply;
              }
              return Stub.unsupported(method);
            case "send":
              if (arity == 3) {
                eventBus.send((String) args[0], args[1], local(args[2]));
                return self;
              }
              return Stub.unsupported(method);
            default:
              return Stub.unsupported(method);
          }
        });
  }

  /** {@code message} with {@code body} instead of its own. */
  @SuppressWarnings("unchecked")
  private static Message<Object> withBody(Message<Object> message, Object body) {
    return Stub.of(
        Message.class,
        (self, method, args) -> {
          if (method.getName().equals("body") && method.getParameterCount() == 0) {
            return body;
          }
          try {
            return method.invoke(message, args);
          } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException cause
                ? cause
                : new IllegalStateException(e.getCause());
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The bridge's options (timeout and headers from the frame) with local delivery forced. */
  private static DeliveryOptions local(Object options) {
    return new DeliveryOptions((DeliveryOptions) options).setLocalOnly(true);
  }
}
