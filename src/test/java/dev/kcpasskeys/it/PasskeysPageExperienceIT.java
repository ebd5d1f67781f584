package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.pages.PasskeysManagePage;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/** Accessibility, small screens and the account console's link to the passkeys page. */
@ExtendWith(KeycloakExtension.class)
class PasskeysPageExperienceIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  @Test
  void hasNoWcagViolationsEmptyWithOneWithManyAndWithAnError() {
    realm.createUser("axel", "axel-password");
    Browser browser = browserExtension.browser();
    var authenticator = browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    browser.open(realm.realmUrl() + "/passkeys/");
    new LoginPages(browser).signInWithPassword("axel", "axel-password");
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    assertNoViolations(browser, "empty page");

    page.add();
    page.await().status("was added");
    assertNoViolations(browser, "one passkey");

    for (int i = 0; i < 2; i++) {
      browser.removeAuthenticator(authenticator);
      authenticator = browser.addPlatformAuthenticator();
      page.add();
      page.await().status("was added");
    }
    assertEquals(3, page.names().size());
    assertNoViolations(browser, "many passkeys");

    String name = page.names().get(0);
    page.startRename(name);
    WebElement input = page.passkey(name).findElement(By.cssSelector(".kcp-rename-input"));
    input.clear();
    page.passkey(name).findElement(By.cssSelector(".kcp-rename-save")).click();
    page.fieldError(name);
    assertNoViolations(browser, "rename error");
    page.passkey(name).findElement(By.cssSelector(".kcp-rename-cancel")).click();

    page.passkey(name).findElement(By.cssSelector(".kcp-delete")).click();
    browser.await(d -> d.findElement(By.id("passkeys-delete-dialog")).isDisplayed());
    assertNoViolations(browser, "delete dialog");
  }

  @Test
  void fitsA320PixelWideScreen() {
    realm.createUser("tiny", "tiny-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.open(realm.realmUrl() + "/passkeys/");
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword("tiny", "tiny-password");
    login.createPasskey("A passkey with a rather long name that wraps on small screens");
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    browser.driver().manage().window().setSize(new Dimension(320, 800));
    browser.open(realm.realmUrl() + "/passkeys/");
    page.await();
    Number scrollWidth = (Number) browser.script("return document.documentElement.scrollWidth");
    Number clientWidth = (Number) browser.script("return document.documentElement.clientWidth");
    assertTrue(
        scrollWidth.intValue() <= clientWidth.intValue(),
        "no horizontal scrolling: " + scrollWidth + " > " + clientWidth);
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
