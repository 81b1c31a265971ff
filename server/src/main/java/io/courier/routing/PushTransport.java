package io.courier.routing;

import io.courier.contract.GateCommand.PushItem;
import io.vertx.core.Future;
import java.util.List;

/**
 * Hands a batch of pushes to the gate of one node; the result says, per item, whether it was
 * written.
 */
public interface PushTransport {

  Future<List<Boolean>> push(String node, List<PushItem> items);
}
