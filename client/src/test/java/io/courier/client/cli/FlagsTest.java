package io.courier.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Set<String> KNOWN = Set.of("uid", "port", "text");

  private static Flags parse(String... args) throws UsageException {
    return Flags.parse(args, KNOWN);
  }

  private static String problem(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  @Test
  void readsSpaceAndEqualsForms() throws UsageException {
    Flags flags = parse("--uid", "bob", "--port=9100");
    assertEquals("bob", flags.get("uid"));
    assertEquals(9100, flags.integer("port", 1, 65535));
    assertNull(flags.get("text"));
    assertFalse(flags.help());
  }

  @Test
  void theArgumentAfterAnOptionIsItsValueEvenWithDashes() throws UsageException {
    assertEquals("--hi there", parse("--text", "--hi there").get("text"));
    assertEquals("a=b", parse("--text=a=b").get("text"));
    assertEquals("", parse("--text=").get("text"));
  }

  @Test
  void helpAnywhere() throws UsageException {
    assertTrue(parse("--uid", "bob", "-h").help());
    assertTrue(parse("--help").help());
  }

  @Test
  void refusesUnknownRepeatedMissingAndPositional() {
    assertEquals("unknown option --colour", problem("--colour", "red"));
    assertEquals("--uid given twice", problem("--uid", "a", "--uid", "b"));
    assertEquals("missing value after --port", problem("--port"));
    assertEquals("unexpected argument 'bob'", problem("bob"));
    assertEquals("unexpected argument '--'", problem("--"));
    assertEquals("unexpected argument '-u'", problem("-u", "bob"));
  }

  @Test
  void requiredAndTypedValues() throws UsageException {
    Flags flags = parse("--uid", "bad uid", "--port", "70000", "--text", "x");
    assertEquals(
        "--uid must be 1-64 chars of [A-Za-z0-9_.:@-], got \"bad uid\"",
        assertThrows(UsageException.class, () -> flags.uid("uid")).getMessage());
    assertEquals(
        "--port must be an integer 1-65535, got \"70000\"",
        assertThrows(UsageException.class, () -> flags.integer("port", 1, 65535)).getMessage());
    assertEquals(
        "--text must be an integer 0-1, got \"x\"",
        assertThrows(UsageException.class, () -> flags.integer("text", 0, 1, 1)).getMessage());

    Flags empty = parse();
    assertEquals(
        "--uid is required",
        assertThrows(UsageException.class, () -> empty.uid("uid")).getMessage());
    assertEquals(9000, empty.integer("port", 1, 65535, 9000));
    assertEquals("dflt", empty.get("text", "dflt"));
  }
}
