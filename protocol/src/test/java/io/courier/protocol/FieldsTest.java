package io.courier.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FieldsTest {
  /** The uid's definition in docs/protocol.md, as a regular expression. */
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");

  @Test
  void aUidIsOneToSixtyFourCharsOfItsClass() {
    assertTrue(Fields.isUid("driver-7"));
    assertTrue(Fields.isUid("a"));
    assertTrue(Fields.isUid("user.name:42@shop_1-x"));
    assertTrue(Fields.isUid("x".repeat(64)));
    assertFalse(Fields.isUid(null));
    assertFalse(Fields.isUid(""));
    assertFalse(Fields.isUid("x".repeat(65)));
    assertFalse(Fields.isUid("with space"));
    assertFalse(Fields.isUid("naïve"));
    assertFalse(Fields.isUid("a/b"));
  }

  @Test
  void everyCharIsJudgedAsTheDefinitionJudgesIt() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String one = String.valueOf(c);
      assertEquals(UID.matcher(one).matches(), Fields.isUid(one), "char " + (int) c);
      String inside = "a" + c + "b";
      assertEquals(UID.matcher(inside).matches(), Fields.isUid(inside), "char " + (int) c);
    }
  }

  @Test
  void randomStringsAreJudgedAsTheDefinitionJudgesThem() {
    Random random = new Random(20261206);
    String alphabet = "aZ09_.:@-/ é\u0000\uD83D";
    for (int i = 0; i < 100_000; i++) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(70);
      for (int k = 0; k < length; k++) {
        value.append(
            random.nextInt(4) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : alphabet.charAt(random.nextInt(9)));
      }
      String candidate = value.toString();
      assertEquals(UID.matcher(candidate).matches(), Fields.isUid(candidate), candidate);
    }
  }
}
