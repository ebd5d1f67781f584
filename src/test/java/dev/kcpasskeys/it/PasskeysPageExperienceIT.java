package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.pages.PasskeysManagePage;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.Keyboard;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Reflow;
import dev.kcpasskeys.it.support.ScreenReader;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Accessibility in every state (light and dark), the journey by keyboard, small screens and zoom,
 * and the account console's link to the passkeys page.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeysPageExperienceIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  /**
   * axe in light and dark: empty, one passkey, rename open, a rename error, the delete
   * confirmation, a failed delete, twenty passkeys.
   */
  @Test
  void everyStateHasNoWcagViolationsInLightAndDark() {
    realm.createUser("axel", "axel-password");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    browser.open(realm.realmUrl() + "/passkeys/");
    new LoginPages(browser).signInWithPassword("axel", "axel-password");
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    assertNoViolations(browser, "passkeys page, empty");

    page.add();
    page.await().status("was added");
    assertNoViolations(browser, "passkeys page, one passkey");

    String name = page.names().get(0);
    page.startRename(name);
    assertNoViolations(browser, "passkeys page, rename open");
    WebElement input = page.passkey(name).findElement(By.cssSelector(".kcp-rename-input"));
    input.clear();
    page.passkey(name).findElement(By.cssSelector(".kcp-rename-save")).click();
    page.fieldError(name);
    assertNoViolations(browser, "passkeys page, rename error");
    page.passkey(name).findElement(By.cssSelector(".kcp-rename-cancel")).click();

    page.passkey(name).findElement(By.cssSelector(".kcp-delete")).click();
    browser.await(d -> d.findElement(By.id("passkeys-delete-dialog")).isDisplayed());
    assertNoViolations(browser, "passkeys page, delete confirmation open");
    browser.find(By.id("passkeys-delete-cancel")).click();

    // Gone on the server (deleted elsewhere) while the page still lists it: deleting it fails.
    new LoginPages(browser).signInAgainWithPasskey(realm.realmUrl() + "/passkeys/");
    page.await();
    String userId = realm.userId("axel");
    realm.deleteCredential(userId, realm.passkeys(userId).get(0).get("id").asText());
    String listed = page.names().get(0);
    page.delete(listed);
    page.status("went wrong");
    new ScreenReader(browser).assertAnnounced("Something went wrong");
    assertNoViolations(browser, "passkeys page, error");

    // Twenty passkeys (Tina's, made over the API: the first with her password, the rest after
    // signing in with it).
    realm.createUser("tina", "tina-password");
    ApiClient api =
        new ApiClient(
            realm, ApiClient.userToken(realm, "tina", "tina-password", "openid passkeys"));
    SoftAuthenticator tinasFirst = new SoftAuthenticator(realm.server().baseUrl());
    api.register(tinasFirst, "Passkey number 1");
    api = new ApiClient(realm, ApiClient.passkeyToken(realm, tinasFirst, "openid passkeys"));
    for (int i = 2; i <= 20; i++) {
      api.register(new SoftAuthenticator(realm.server().baseUrl()), "Passkey number " + i);
    }
    browser.signOut();
    browser.open(realm.realmUrl() + "/passkeys/");
    new LoginPages(browser).signInWithPassword("tina", "tina-password");
    assertEquals(20, page.await().names().size());
    assertNoViolations(browser, "passkeys page, twenty passkeys");
  }

  /**
   * Sign in with a passkey, add one, rename it, delete it and go back to the app: Tab, Enter and
   * typing only, with a visible focus on every control reached and each outcome announced.
   */
  @Test
  void theWholeJourneyWorksByKeyboardWithVisibleFocusAndAnnouncements() {
    realm.createUser("kira", "kira-password", "passkey-register");
    Browser browser = browserExtension.browser();
    var firstDevice = browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages login = new LoginPages(browser);
    browser.open(new dev.kcpasskeys.it.support.Oidc(realm).authorizationUrl());
    login.signInWithPassword("kira", "kira-password");
    login.createPasskey("Kira's laptop");
    login.awaitRedirectWithCode();
    browser.signOut();

    Keyboard keyboard = new Keyboard(browser);
    ScreenReader reader = new ScreenReader(browser);
    browser.open(
        realm.realmUrl()
            + "/passkeys/?client_id="
            + TestRealm.TEST_CLIENT
            + "&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fhome");
    login.clickableButtonText();
    keyboard.tabTo(By.id("passkey-sign-in"));
    keyboard.enter();
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    assertEquals(List.of("Kira's laptop"), page.names());

    browser.removeAuthenticator(firstDevice); // a second device holds the new passkey
    browser.addPlatformAuthenticator();
    keyboard.tabTo(By.id("passkeys-add"));
    keyboard.enter();
    page.await().status("was added");
    assertEquals("polite", reader.assertAnnounced("Your new passkey was added."));
    assertEquals(2, page.names().size());

    String added = page.names().stream().filter(n -> !n.equals("Kira's laptop")).findFirst().get();
    keyboard.tabTo(renameOf(page, added));
    keyboard.enter();
    keyboard.type(Keys.chord(Keys.CONTROL, "a"), "Kira's phone", Keys.ENTER);
    page.status("is now called");
    reader.assertAnnounced("The passkey is now called");
    assertEquals(List.of("Kira's laptop", "Kira's phone"), page.names().stream().sorted().toList());

    keyboard.tabTo(deleteOf(page, "Kira's phone"));
    keyboard.enter();
    browser.await(d -> d.findElement(By.id("passkeys-delete-dialog")).isDisplayed());
    keyboard.tabTo(By.id("passkeys-delete-confirm"));
    keyboard.enter();
    page.status("was deleted");
    reader.assertAnnounced("was deleted");
    assertEquals(List.of("Kira's laptop"), page.names());

    keyboard.tabTo(By.id("passkeys-back"));
    keyboard.enter();
    browser.await(d -> d.getCurrentUrl().startsWith("http://localhost:1/home"));
  }

  private static By renameOf(PasskeysManagePage page, String name) {
    return By.xpath(
        "//li[contains(@class,'kcp-passkey')][.//h2[normalize-space()=\""
            + name
            + "\"]]//button[contains(@class,'kcp-rename')]");
  }

  private static By deleteOf(PasskeysManagePage page, String name) {
    return By.xpath(
        "//li[contains(@class,'kcp-passkey')][.//h2[normalize-space()=\""
            + name
            + "\"]]//button[contains(@class,'kcp-delete')]");
  }

  @Test
  void reflowsAt320PixelsAndAt200PercentZoom() {
    realm.createUser("tiny", "tiny-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.open(realm.realmUrl() + "/passkeys/");
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword("tiny", "tiny-password");
    login.createPasskey("A passkey with a rather long name that wraps on small screens");
    new PasskeysManagePage(browser).await();
    Reflow.assertReflows(browser, "passkeys page");
  }

  /**
   * Enabling put the Passkeys entry into the account console (the realm used Keycloak's default
   * theme).
   */
  @Test
  void theAccountConsoleLinksToThePasskeysPageAndBack() {
    AdminClient admin = realm.admin();
    assertEquals(
        "passkeys",
        admin.ok(admin.get("/realms/" + realm.name())).path("accountTheme").asText(),
        "enabling switched Keycloak's default account console to the one with the Passkeys entry");
    realm.createUser("acc", "acc-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.open(realm.realmUrl() + "/account/");
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword("acc", "acc-password");
    login.createPasskey("Acc key");
    WebElement link =
        browser.await(
            d ->
                d.findElements(By.cssSelector("[data-testid='content/:componentId']")).stream()
                    .findFirst()
                    .orElse(null));
    // The entry sits in the collapsed "Account security" group: read and follow it without
    // expanding.
    assertEquals("Passkeys", link.getAttribute("textContent").trim());
    browser.script(
        "(arguments[0].tagName === 'A' ? arguments[0] : arguments[0].querySelector('a')).click()",
        link);
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    assertEquals(List.of("Acc key"), page.names());
    WebElement back = browser.find(By.id("passkeys-back"));
    assertTrue(
        back.getAttribute("href").endsWith("/realms/" + realm.name() + "/account/"),
        back.getAttribute("href"));
  }
}
