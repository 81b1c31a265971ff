package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedForTest {
  private final ForwardedFor proxies = new ForwardedFor(List.of("10.0.0.0/8", "2001:db8::/32"));

  @Test
  void theLastAddressThatIsNotATrustedProxyIsTheClient() {
    assertEquals("198.51.100.7", proxies.clientOf("10.0.0.6", "198.51.100.7"));
    assertEquals(
        "203.0.113.9", proxies.clientOf("10.0.0.6", "198.51.100.7, 203.0.113.9, 10.0.0.5"));
    assertEquals("2001:db9::1", proxies.clientOf("2001:db8::5", "2001:db9::1"));
  }

  @Test
  void aPeerThatIsNoTrustedProxyIsItsOwnClient() {
    assertEquals("192.0.2.1", proxies.clientOf("192.0.2.1", "198.51.100.7"));
    assertEquals("10.0.0.6", proxies.clientOf("10.0.0.6", null));
    assertEquals("192.0.2.1", new ForwardedFor(List.of()).clientOf("192.0.2.1", "198.51.100.7"));
  }

  @Test
  void aMalformedEntryEndsAtTheLastTrustedHop() {
    assertEquals("10.0.0.5", proxies.clientOf("10.0.0.6", "unknown, 10.0.0.5"));
    assertEquals("10.0.0.6", proxies.clientOf("10.0.0.6", "evil.example.com"));
    assertEquals("10.0.0.1", proxies.clientOf("10.0.0.6", "10.0.0.1, 10.0.0.2"));
  }
}
