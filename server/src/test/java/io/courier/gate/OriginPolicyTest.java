package io.courier.gate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  @Test
  void byDefaultOnlyTheSameHostAndPortAndNonBrowsers() {
    OriginPolicy policy = new OriginPolicy(List.of());
    assertTrue(policy.accepts(null, "chat.example.com"));
    assertTrue(policy.accepts("https://chat.example.com", "chat.example.com"));
    assertTrue(policy.accepts("https://chat.example.com", "chat.example.com:443"));
    assertTrue(policy.accepts("http://127.0.0.1:8080", "127.0.0.1:8080"));
    assertTrue(policy.accepts("HTTP://Chat.Example.com:8080", "chat.example.com:8080"));
    assertFalse(policy.accepts("http://127.0.0.1:8081", "127.0.0.1:8080"));
    assertFalse(policy.accepts("https://evil.example.com", "chat.example.com"));
    assertFalse(policy.accepts("https://chat.example.com.evil.com", "chat.example.com"));
    assertFalse(policy.accepts("http://chat.example.com", "chat.example.com:443"));
    assertFalse(policy.accepts("null", "chat.example.com"));
    assertFalse(policy.accepts("https://chat.example.com", null));
  }

  @Test
  void configuredOriginsReplaceTheSameOriginRule() {
    OriginPolicy policy = new OriginPolicy(List.of("https://support.example.com"));
    assertTrue(policy.accepts("https://support.example.com", "courier.internal:8080"));
    assertTrue(policy.accepts("https://SUPPORT.example.com", "courier.internal:8080"));
    assertFalse(policy.accepts("https://courier.internal:8080", "courier.internal:8080"));
    assertTrue(policy.accepts(null, "courier.internal:8080"));
  }

  @Test
  void aStarAcceptsEveryOrigin() {
    assertTrue(new OriginPolicy(List.of("*")).accepts("https://anything.example", "x"));
  }
}
