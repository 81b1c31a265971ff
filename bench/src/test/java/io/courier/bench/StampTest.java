package io.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.richtext.RichText;
import org.junit.jupiter.api.Test;

class StampTest {

  @Test
  void roundTripsAndPadsToTheAskedSize() {
    String content = Stamp.content(123_456_789_012L, 64);
    assertEquals(64, content.length());
    assertEquals(123_456_789_012L, Stamp.parse(content));
  }

  @Test
  void keepsNegativeNanoTimes() {
    assertEquals(-42L, Stamp.parse(Stamp.content(-42L, 10)));
  }

  @Test
  void survivesTheRichTextSanitizer() {
    String content = Stamp.content(987_654_321L, 100);
    assertEquals(content, RichText.sanitize(content));
  }

  @Test
  void findsTheStampInPositionsDespiteLat() {
    String content = Stamp.position(31.2304, 121.4737, 555L);
    assertEquals("lat=31.230400,lng=121.473700,ts=555", content);
    assertEquals(555L, Stamp.parse(content));
  }

  @Test
  void saysWhenThereIsNoStamp() {
    assertEquals(Stamp.NONE, Stamp.parse("hello"));
    assertEquals(Stamp.NONE, Stamp.parse("ts=;"));
    assertEquals(Stamp.NONE, Stamp.parse(null));
  }
}
