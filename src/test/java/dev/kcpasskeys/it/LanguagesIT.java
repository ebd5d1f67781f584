package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.pages.PasskeysManagePage;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.Reflow;
import dev.kcpasskeys.it.support.TestRealm;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Every language we ship, as its users see it: the login page and the passkeys page speak it, and
 * Arabic and Hebrew pages are mirrored (direction, order of buttons and badges, the back arrow).
 * Screenshots of the right-to-left pages land in {@code target/page-audit/}.
 */
@ExtendWith(KeycloakExtension.class)
class LanguagesIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);

  /** Each language tag as a realm lists it, and our bundle's text for it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"en", "de", "fr", "es", "it", "nl", "pl", "pt-BR", "ja", "zh-CN", "ar", "he"})
  void theLoginPageSpeaksEveryLanguageWeShip(String language) {
    Properties messages = bundle(language);
    Browser browser = browserExtension.browser();
    browser.open(oidc.authorizationUrl(Map.of("ui_locales", language)));
    String button = new LoginPages(browser).clickableButtonText().trim();
    assertEquals(messages.getProperty("passkeySignInButton"), button, language);
    assertEquals(language, browser.find(By.tagName("html")).getAttribute("lang"));
    boolean rtl = language.equals("ar") || language.equals("he");
    assertEquals(rtl ? "rtl" : "ltr", browser.find(By.tagName("html")).getAttribute("dir"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ar", "he"})
  void rightToLeftPagesAreMirrored(String language) {
    String username = "rtl-" + language;
    String userId = realm.createUser(username, username + "-password", "passkey-register");
    realm.editUser(
        userId, rep -> ((ObjectNode) rep.with("attributes")).putArray("locale").add(language));
    Properties messages = bundle(language);
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);

    browser.open(oidc.authorizationUrl(Map.of("ui_locales", language)));
    pages.clickableButtonText();
    assertRightToLeft(browser, "login page");
    WebElement username0 = browser.find(By.id("username"));
    assertTrue(
        rightEdge(browser, By.cssSelector("label[for=username]"))
            > leftEdge(browser, By.id("username")) + username0.getSize().getWidth() / 2,
        "the field's label starts at the right");
    assertNoViolations(browser, language + " login page");

    pages.signInWithPassword(username, username + "-password");
    browser.find(By.id("passkey-name"));
    assertRightToLeft(browser, "registration page");
    assertEquals(
        messages.getProperty("passkeyCreateButton"),
        browser.find(By.id("passkey-create")).getText().trim());
    assertNoViolations(browser, language + " registration page");
    pages.createPasskey(null);
    pages.awaitRedirectWithCode();
    browser.signOut();

    browser.open(
        realm.realmUrl()
            + "/passkeys/?client_id="
            + TestRealm.TEST_CLIENT
            + "&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fhome");
    pages.clickSignInWithPasskey(); // so the page marks it "used on this device"
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    assertRightToLeft(browser, "passkeys page");
    assertEquals(
        messages.getProperty("passkeysPageTitle"),
        browser.find(By.id("kc-page-title")).getText().trim());
    WebElement item = page.passkeys().get(0);
    // Reading order runs right to left: the first button and the first badge sit further right.
    assertTrue(
        leftEdge(item.findElement(By.cssSelector(".kcp-rename")))
            > leftEdge(item.findElement(By.cssSelector(".kcp-delete"))),
        "Rename comes first, at the right");
    List<WebElement> badges = item.findElements(By.cssSelector(".kcp-badges li"));
    assertTrue(badges.size() >= 2, "synced or device-bound, and used on this device");
    assertTrue(leftEdge(badges.get(0)) > leftEdge(badges.get(1)), "the first badge at the right");
    assertTrue(
        leftEdge(item.findElement(By.cssSelector(".kcp-passkey-title")))
            < leftEdge(item.findElement(By.cssSelector(".kcp-icon"))),
        "the icon before the name, at the right");
    assertEquals(
        "matrix(-1, 0, 0, 1, 0, 0)",
        browser.script(
            "return getComputedStyle(document.querySelector('.kcp-back-icon')).transform;"),
        "the back arrow points right, the way back in a right-to-left page");
    assertNoViolations(browser, language + " passkeys page");
    Reflow.assertReflows(browser, language + " passkeys page");
  }

  private static void assertRightToLeft(Browser browser, String page) {
    assertEquals("rtl", browser.find(By.tagName("html")).getAttribute("dir"), page);
    assertEquals(
        "rtl",
        browser.script(
            "return getComputedStyle(document.getElementById('kc-page-title')).direction;"),
        page);
  }

  private static long leftEdge(Browser browser, By by) {
    return leftEdge(browser.find(by));
  }

  private static long rightEdge(Browser browser, By by) {
    WebElement element = browser.find(by);
    return element.getRect().getX() + element.getRect().getWidth();
  }

  private static long leftEdge(WebElement element) {
    return element.getRect().getX();
  }

  /** Our bundle for a language tag (pt-BR is messages_pt_BR.properties). */
  static Properties bundle(String language) {
    Properties messages = new Properties();
    Path file =
        Path.of(
            "themes/theme-resources/messages/messages_"
                + language.replace('-', '_')
                + ".properties");
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      messages.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The page shows what MessageFormat makes of the text: doubled apostrophes become one.
    messages.replaceAll((k, v) -> v.toString().replace("''", "'"));
    return messages;
  }
}
