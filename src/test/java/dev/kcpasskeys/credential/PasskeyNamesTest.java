package dev.kcpasskeys.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasskeyNamesTest {

  @Test
  void trimsAndNormalizesToNfc() {
    assertEquals(Optional.of("Café"), PasskeyNames.validate("  Cafe\u0301 ").name());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "iPhone de Zoé",
        "Ключ",
        "鍵",
        "مفتاح",
        "🔑 work",
        "👩‍💻 laptop",
        "<img src=x onerror=alert(1)>"
      })
  void acceptsAnyScriptEmojiAndMarkupAsPlainText(String name) {
    assertEquals(Optional.of(name), PasskeyNames.validate(name).name());
  }

  @Test
  void refusesEmptyAndTooLong() {
    assertEquals(Optional.of("passkeyNameRequired"), PasskeyNames.validate("   ").errorKey());
    assertEquals(Optional.of("passkeyNameRequired"), PasskeyNames.validate(null).errorKey());
    assertEquals(
        Optional.of("passkeyNameTooLong"), PasskeyNames.validate("x".repeat(65)).errorKey());
    assertEquals(Optional.of("x".repeat(64)), PasskeyNames.validate("x".repeat(64)).name());
    assertEquals(
        Optional.of("🔑".repeat(64)),
        PasskeyNames.validate("🔑".repeat(64)).name(),
        "counts code points");
  }

  /**
   * Issue #20: a name that renders as nothing (zero-width or format characters, blank fillers) is
   * no name.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u200B",
        "\u200B\u200C\u200D",
        "\u2060\uFEFF",
        "\u3164",
        "\u2800\u2800",
        "\u00A0\u200B"
      })
  void refusesNamesThatRenderAsNothing(String name) {
    assertEquals(Optional.of("passkeyNameRequired"), PasskeyNames.validate(name).errorKey());
  }

  @Test
  void keepsZeroWidthJoinersInsideVisibleNames() {
    assertEquals(
        Optional.of("\uD83D\uDC69\u200D\uD83D\uDCBB laptop"),
        PasskeyNames.validate("\uD83D\uDC69\u200D\uD83D\uDCBB laptop").name());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "evil\u202Egnp.exe",
        "a\u2066b",
        "tab\there",
        "new\nline",
        "nul\u0000",
        "lrm\u200Emark"
      })
  void refusesControlAndBidiCharacters(String name) {
    assertEquals(
        Optional.of("passkeyNameInvalidCharacters"), PasskeyNames.validate(name).errorKey());
  }

  @Test
  void defaultsAreUniqueAndPreferTheProviderName() {
    assertEquals(
        "iCloud Keychain",
        PasskeyNames.uniqueDefault(Optional.of("iCloud Keychain"), "", List.of()));
    assertEquals(
        "iCloud Keychain 3",
        PasskeyNames.uniqueDefault(
            Optional.of("iCloud Keychain"), "", List.of("iCloud Keychain", "icloud keychain 2")));
    String linuxChrome =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
    assertEquals(
        "Chrome on Linux", PasskeyNames.uniqueDefault(Optional.empty(), linuxChrome, List.of()));
    assertEquals(
        "Safari on iOS",
        PasskeyNames.uniqueDefault(
            Optional.empty(),
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1",
            List.of()));
    assertFalse(PasskeyNames.uniqueDefault(Optional.empty(), null, List.of()).isBlank());
  }
}
