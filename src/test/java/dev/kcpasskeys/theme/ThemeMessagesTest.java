package dev.kcpasskeys.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.config.SettingsForm;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every language we ship is complete and says what English says: the same keys, the same
 * placeholders, apostrophes that survive the way each text is shown, and no English left in by
 * accident (a text identical to English must be listed in {@code i18n/identical-to-english.txt}).
 * Our templates (login pages and e-mails) and the admin console's settings form resolve every
 * message of ours in every language.
 */
class ThemeMessagesTest {

  private static final Path LOGIN = Path.of("themes/theme-resources");
  private static final Path ACCOUNT = Path.of("themes/passkeys/account");

  /** Bundle file suffixes: Keycloak reads messages_pt_BR for pt-BR. */
  static final List<String> LANGUAGES =
      List.of("en", "de", "fr", "es", "it", "nl", "pl", "pt_BR", "ja", "zh_CN", "ar", "he");

  /**
   * Keycloak's own login texts that our pages show, which Keycloak translates into every language
   * above but Hebrew: our Hebrew bundle carries them.
   */
  static final Set<String> KEYCLOAK_TEXTS_IN_HEBREW =
      Set.of(
          "doCancel",
          "doForgotPassword",
          "doLogIn",
          "doRegister",
          "email",
          "loginAccountTitle",
          "noAccount",
          "password",
          "rememberMe",
          "username",
          "usernameOrEmail",
          "doTryAnotherWay",
          "loginTitle",
          "loginTitleHtml",
          "requiredFields",
          "restartLoginTooltip",
          "doSwitchOrganization");

  /** Our keys; the others (doCancel, doForgotPassword, ...) are Keycloak's own. */
  private static final Pattern OUR_KEY =
      Pattern.compile("msg\\(\"((?:passkey|passkeys)[A-Za-z0-9.]*)\"");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");

  @Test
  void everyLanguageHasEveryEnglishKeyAndNoOther() throws IOException {
    for (Path bundle : List.of(LOGIN, ACCOUNT)) {
      Set<String> english = ours(load(bundle, "en").stringPropertyNames(), "en");
      for (String language : LANGUAGES) {
        assertEquals(
            english,
            ours(load(bundle, language).stringPropertyNames(), language),
            bundle + " " + language);
      }
    }
  }

  @Test
  void placeholdersAreThoseOfEnglish() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Path bundle : List.of(LOGIN, ACCOUNT)) {
      Properties english = load(bundle, "en");
      for (String language : LANGUAGES) {
        Properties messages = load(bundle, language);
        for (String key : english.stringPropertyNames()) {
          if (messages.containsKey(key)
              && !placeholders(english.getProperty(key))
                  .equals(placeholders(messages.getProperty(key)))) {
            wrong.add(language + " " + key);
          }
        }
      }
    }
    assertTrue(wrong.isEmpty(), "placeholders differ from English: " + wrong);
  }

  @Test
  void noTextIsEnglishUnlessListedAsIntentional() throws IOException {
    Set<String> intentional = intentionallyEnglish();
    Set<String> identical = new TreeSet<>();
    for (Path bundle : List.of(LOGIN, ACCOUNT)) {
      Properties english = load(bundle, "en");
      for (String language : LANGUAGES.subList(1, LANGUAGES.size())) {
        Properties messages = load(bundle, language);
        for (String key : english.stringPropertyNames()) {
          // A language's name is the same in every language (Keycloak's locale_* keys too).
          if (!key.startsWith("locale_")
              && english.getProperty(key).equals(messages.getProperty(key))) {
            identical.add(language + " " + key);
          }
        }
      }
    }
    Set<String> unexplained = new TreeSet<>(identical);
    unexplained.removeAll(intentional);
    assertTrue(
        unexplained.isEmpty(), "still English (translate, or list as intentional): " + unexplained);
    Set<String> stale = new TreeSet<>(intentional);
    stale.removeAll(identical);
    assertTrue(stale.isEmpty(), "listed as identical to English but translated now: " + stale);
  }

  /**
   * Login pages and e-mails format every text with Java's MessageFormat, where one apostrophe
   * starts a quote and disappears: those texts write it twice. The admin and account consoles show
   * texts as they are: there an ASCII apostrophe would show doubled, so they use typographic ones.
   */
  @Test
  void apostrophesSurviveTheWayEachTextIsShown() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (String language : LANGUAGES) {
      load(LOGIN, language)
          .forEach(
              (k, v) -> {
                String key = k.toString();
                String text = v.toString();
                boolean console = key.startsWith("passkeysSetting");
                if (console ? text.contains("'") : text.replace("''", "").contains("'")) {
                  wrong.add(language + " " + key);
                }
              });
      load(ACCOUNT, language)
          .forEach(
              (k, v) -> {
                if (v.toString().contains("'")) {
                  wrong.add("account " + language + " " + k);
                }
              });
    }
    assertTrue(wrong.isEmpty(), "apostrophes that would be lost or doubled: " + wrong);
  }

  @Test
  void hebrewCarriesKeycloaksOwnLoginTextsOurPagesShow() throws IOException {
    Properties hebrew = load(LOGIN, "he");
    for (String key : KEYCLOAK_TEXTS_IN_HEBREW) {
      assertTrue(hebrew.containsKey(key), "he lacks Keycloak's " + key);
    }
    assertEquals("עברית", hebrew.getProperty("locale_he"), "the language's own name");
  }

  @Test
  void everyKeyOurTemplatesUseExists() throws IOException {
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.walk(LOGIN.resolve("templates"))) {
      for (Path template : files.filter(p -> p.toString().endsWith(".ftl")).toList()) {
        Matcher m = OUR_KEY.matcher(Files.readString(template));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    assertTrue(used.contains("passkeyMailAddedIntro"), "the e-mail templates are scanned: " + used);
    for (String language : LANGUAGES) {
      Properties messages = load(LOGIN, language);
      List<String> missing =
          new ArrayList<>(used.stream().filter(k -> !messages.containsKey(k)).toList());
      assertTrue(missing.isEmpty(), language + " lacks " + missing);
    }
  }

  @Test
  void theAdminConsoleFormHasALabelAndAHelpTextInEveryLanguage() throws IOException {
    for (String language : LANGUAGES) {
      Properties messages = load(LOGIN, language);
      List<String> missing =
          SettingsForm.properties().stream()
              .flatMap(p -> Stream.of(p.getLabel(), p.getHelpText()))
              .filter(key -> !messages.containsKey(key))
              .toList();
      assertTrue(missing.isEmpty(), language + " lacks " + missing);
    }
  }

  /**
   * A bundle's keys without language names ({@code locale_he}: the same in every language, as
   * Keycloak's) and, in Hebrew, without Keycloak's own texts.
   */
  private static Set<String> ours(Set<String> keys, String language) {
    return keys.stream()
        .filter(k -> !k.startsWith("locale_"))
        .filter(k -> !(language.equals("he") && KEYCLOAK_TEXTS_IN_HEBREW.contains(k)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<String> placeholders(String text) {
    List<String> found = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    found.sort(null);
    return found;
  }

  /** Lines of "language key" (e.g. "it passkeyMailName"); # starts a comment. */
  private static Set<String> intentionallyEnglish() throws IOException {
    Set<String> entries = new TreeSet<>();
    for (String line :
        Files.readAllLines(Path.of("src/test/resources/i18n/identical-to-english.txt"))) {
      String entry = line.replaceAll("#.*", "").trim().replaceAll("\\s+", " ");
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    return entries;
  }

  static Properties load(Path bundle, String language) throws IOException {
    Properties properties = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            bundle.resolve("messages/messages_" + language + ".properties"),
            StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    return properties;
  }
}
