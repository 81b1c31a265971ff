package io.courier.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The operations queries one node's HTTP interface sends to every node. */
class OpsQueryTest {

  @Test
  void anArrivalQueryLeavesOutTheFiltersItHasNot() {
    OpsQuery all = new OpsQuery.Arrival(null, null, 300);
    OpsQuery one = new OpsQuery.Arrival("201", "7", 60);
    OpsQuery other = new OpsQuery.Arrival("201", "other", 60);

    assertEquals("{\"op\":\"arrival\",\"window\":300}", all.toJson().encode());
    assertEquals(
        "{\"op\":\"arrival\",\"appcode\":\"201\",\"msgtype\":\"7\",\"window\":60}",
        one.toJson().encode());
    assertEquals(all, OpsQuery.fromJson(all.toJson()));
    assertEquals(one, OpsQuery.fromJson(one.toJson()));
    assertEquals(other, OpsQuery.fromJson(other.toJson()));
  }

  @Test
  void aTraceQueryNamesItsLogid() {
    OpsQuery trace = new OpsQuery.Trace("order-42-trace");

    assertEquals("{\"op\":\"trace\",\"logid\":\"order-42-trace\"}", trace.toJson().encode());
    assertEquals(trace, OpsQuery.fromJson(trace.toJson()));
  }
}
