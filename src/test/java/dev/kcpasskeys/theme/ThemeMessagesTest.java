package dev.kcpasskeys.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our templates (login pages and e-mails) resolve every message of ours in every language we ship:
 * a key missing in one language would show the bare key to those users.
 */
class ThemeMessagesTest {

  private static final Path THEME = Path.of("themes/theme-resources");
  private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");

  /** Our keys; the others (doCancel, doForgotPassword, ...) are Keycloak's own. */
  private static final Pattern OUR_KEY =
      Pattern.compile("msg\\(\"((?:passkey|passkeys)[A-Za-z0-9.]*)\"");

  @Test
  void everyLanguageHasTheSameKeys() throws IOException {
    Set<String> english = load("en").stringPropertyNames();
    for (String language : LANGUAGES) {
      assertEquals(
          new TreeSet<>(english), new TreeSet<>(load(language).stringPropertyNames()), language);
    }
  }

  @Test
  void everyKeyOurTemplatesUseExists() throws IOException {
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.walk(THEME.resolve("templates"))) {
      for (Path template : files.filter(p -> p.toString().endsWith(".ftl")).toList()) {
        Matcher m = OUR_KEY.matcher(Files.readString(template));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    assertTrue(used.contains("passkeyMailAddedIntro"), "the e-mail templates are scanned: " + used);
    for (String language : LANGUAGES) {
      Properties messages = load(language);
      List<String> missing =
          new ArrayList<>(used.stream().filter(k -> !messages.containsKey(k)).toList());
      assertTrue(missing.isEmpty(), language + " lacks " + missing);
    }
  }

  private static Properties load(String language) throws IOException {
    Properties properties = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            THEME.resolve("messages/messages_" + language + ".properties"),
            StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    return properties;
  }
}
