package dev.kcpasskeys.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #20 item 8: request text in a log line can neither start a new line nor reorder what is
 * shown.
 */
class LogTextTest {

  @Test
  void keepsOrdinaryTextInAnyScript() {
    assertEquals("cross-platform", LogText.of("cross-platform"));
    assertEquals("Clé de Zoë 🔑 鍵", LogText.of("Clé de Zoë 🔑 鍵"));
    assertEquals("null", LogText.of(null));
  }

  @Test
  void replacesLineBreaksControlAndBidiCharacters() {
    assertEquals("a?? INFO forged", LogText.of("a\r\n INFO forged"));
    assertEquals("evil?gnp.exe", LogText.of("evil\u202Egnp.exe"));
    assertEquals("x?y?z", LogText.of("x\u2028y\u0000z"));
    assertEquals("{credential_name=a?b}", LogText.of(Map.of("credential_name", "a\nb")));
  }

  @Test
  void cutsLongValues() {
    String cut = LogText.of("x".repeat(10_000));
    assertEquals(LogText.MAX + 1, cut.codePointCount(0, cut.length()));
    assertTrue(cut.endsWith("…"));
  }
}
