package io.courier.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.body.PushProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeviceRegistry} does, run against each of them: keyed by {@code (uid, appcode,
 * device)}, a token held by one key at a time, dead tokens removed, registrations kept when
 * reopened.
 */
abstract class DeviceRegistryContract {
  protected Vertx vertx;
  protected DeviceRegistry registry;

  /** A registry on fresh storage the first time of a test, on the same storage after. */
  protected abstract Future<DeviceRegistry> open();

  @BeforeEach
  void openRegistry() {
    vertx = Vertx.vertx();
    registry = await(open());
  }

  @AfterEach
  void closeRegistry() {
    await(registry.close());
    vertx.close().await();
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Device device(String uid, int appcode, String device, String token) {
    return new Device(uid, appcode, device, PushProvider.APNS, token, "com.example.app", 1000);
  }

  private List<Device> devices(String uid, int appcode) {
    return await(registry.devices(uid, appcode)).stream()
        .sorted(Comparator.comparing(Device::device))
        .toList();
  }

  @Test
  void aRegistrationIsReadBackAndReplacedByTheNextOfItsKey() {
    await(registry.register(device("alice", 101, "", "aa01")));
    assertEquals(List.of(device("alice", 101, "", "aa01")), devices("alice", 101));

    Device fcm = new Device("alice", 101, "", PushProvider.FCM, "fcm-token-1", null, 2000);
    await(registry.register(fcm));

    assertEquals(List.of(fcm), devices("alice", 101));
    assertEquals(List.of(), devices("alice", 102), "another appcode is another key");
  }

  @Test
  void devicesOfOneReceiverAreListedApart() {
    await(registry.register(device("bob", 101, "phone", "bb01")));
    await(registry.register(device("bob", 101, "tablet", "bb02")));
    await(registry.register(device("bobby", 101, "", "bb03")));

    assertEquals(
        List.of(device("bob", 101, "phone", "bb01"), device("bob", 101, "tablet", "bb02")),
        devices("bob", 101));
  }

  @Test
  void aTokenRegisteredByAnotherUserMovesToThatUser() {
    await(registry.register(device("carol", 101, "", "cc01")));
    await(registry.register(device("dave", 101, "", "cc01")));

    assertEquals(List.of(), devices("carol", 101));
    assertEquals(List.of(device("dave", 101, "", "cc01")), devices("dave", 101));
    assertTrue(await(registry.removeDead(PushProvider.APNS, "cc01")));
    assertEquals(List.of(), devices("dave", 101));
  }

  @Test
  void aReplacedTokenNoLongerNamesItsFormerKey() {
    await(registry.register(device("erin", 101, "", "ee01")));
    await(registry.register(device("erin", 101, "", "ee02")));

    assertFalse(await(registry.removeDead(PushProvider.APNS, "ee01")), "ee01 is nobody's now");
    assertEquals(List.of(device("erin", 101, "", "ee02")), devices("erin", 101));
  }

  @Test
  void unregisterRemovesTheKeyAndItsToken() {
    await(registry.register(device("frank", 101, "", "ff01")));

    assertTrue(await(registry.unregister("frank", 101, "")));
    assertFalse(await(registry.unregister("frank", 101, "")));
    assertEquals(List.of(), devices("frank", 101));
    assertFalse(await(registry.removeDead(PushProvider.APNS, "ff01")));
  }

  @Test
  void aDeadTokenOfAnotherProviderIsAnotherToken() {
    await(registry.register(device("gina", 101, "", "gg01")));

    assertFalse(await(registry.removeDead(PushProvider.FCM, "gg01")));
    assertEquals(1, devices("gina", 101).size());
  }

  @Test
  void registrationsSurviveAReopen() {
    await(registry.register(device("hank", 101, "phone", "hh01")));
    await(registry.close());

    registry = await(open());

    assertEquals(List.of(device("hank", 101, "phone", "hh01")), devices("hank", 101));
  }
}
