package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Related Origin Requests, WebAuthn L3 §5.11: which origins, and the five-label limit. */
class RelatedOriginsTest {

  @Test
  void originsOutsideTheRpIdAreRelatedOnesAndTheRpIdsSubdomainsAreNot() {
    assertEquals(
        List.of("https://shop.example.net", "https://example.co.uk"),
        RelatedOrigins.of(
            List.of(
                "https://login.example.com",
                "https://shop.example.net",
                "android:apk-key-hash:AAAAAAAAAAAAAAAAAAAAAAAA",
                "https://example.co.uk"),
            "example.com"));
  }

  @Test
  void theLabelIsThatOfTheRegistrableDomain_5_11_1() {
    assertEquals("example", RelatedOrigins.label("shop.example.co.uk"));
    assertEquals("example", RelatedOrigins.label("www.example.com"));
    assertEquals("localhost", RelatedOrigins.label("localhost"));
  }

  @Test
  void moreThanFiveLabelsAreRefusedAndTheSameLabelCountsOnce_5_11_1() {
    List<String> five =
        List.of(
            "https://a.com",
            "https://b.net",
            "https://c.org",
            "https://d.io",
            "https://www.e.com",
            "https://shop.e.co.uk");
    assertTrue(RelatedOrigins.problem(five, "rp.test").isEmpty(), "e counts once");
    List<String> six =
        List.of(
            "https://a.com",
            "https://b.net",
            "https://c.org",
            "https://shop.alpha.com",
            "https://shop.beta.com",
            "https://shop.gamma.com");
    String problem = RelatedOrigins.problem(six, "rp.test").orElseThrow();
    assertTrue(problem.contains("at most 5"), problem);
  }
}
