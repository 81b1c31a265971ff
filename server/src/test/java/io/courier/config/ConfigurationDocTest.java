package io.courier.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} true to {@link ConfigKeys}: its key table is the one {@link
 * KeyTable} renders, and every {@code COURIER_} variable it names exists.
 *
 * <p>To regenerate after changing a key: run this test; on a difference it writes the doc as it
 * should be to {@code server/target/configuration.md}; review it and copy it over the doc.
 */
class ConfigurationDocTest {
  private static final Path DOC = root().resolve("docs/configuration.md");
  private static final Path EXPECTED = Path.of("target", "configuration.md");

  @Test
  void keyTableIsGeneratedFromTheKeys() throws IOException {
    String doc = Files.readString(DOC, UTF_8);
    int begin = doc.indexOf(KeyTable.BEGIN);
    int end = doc.indexOf(KeyTable.END);
    if (begin < 0 || end < begin) {
      fail(DOC + " lacks the markers of the generated key table: " + KeyTable.BEGIN);
    }
    String committed = doc.substring(begin + KeyTable.BEGIN.length(), end);
    String expected = KeyTable.render();
    if (!committed.equals(expected)) {
      String regenerated =
          doc.substring(0, begin + KeyTable.BEGIN.length()) + expected + doc.substring(end);
      Files.writeString(EXPECTED, regenerated, UTF_8);
      assertEquals(
          expected,
          committed,
          "the key table of "
              + DOC
              + " differs from ConfigKeys; the doc as it should be is in "
              + EXPECTED.toAbsolutePath()
              + ": review it and copy it over the doc");
    }
  }

  @Test
  void everyVariableTheDocNamesExists() throws IOException {
    Set<String> variables =
        ConfigKeys.all().stream().map(ConfigKey::variable).collect(Collectors.toSet());
    Set<String> unknown = new TreeSet<>();
    Matcher named = Pattern.compile("COURIER_[A-Z0-9_]*[A-Z0-9]").matcher(Files.readString(DOC));
    while (named.find()) {
      if (!variables.contains(named.group())) {
        unknown.add(named.group());
      }
    }
    assertTrue(unknown.isEmpty(), DOC + " names variables that no key has: " + unknown);
  }

  /** The repository: {@code courier.root} as Maven sets it, else the parent of the module. */
  private static Path root() {
    String root = System.getProperty("courier.root", "");
    return root.isBlank() ? Path.of("..") : Path.of(root);
  }
}
