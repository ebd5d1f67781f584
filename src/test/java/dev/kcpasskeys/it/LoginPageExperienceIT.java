package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.Reflow;
import dev.kcpasskeys.it.support.ScreenReader;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Messages, languages, accessibility and keyboard use of the login and registration pages. */
@ExtendWith(KeycloakExtension.class)
class LoginPageExperienceIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void aCancelledPasskeyDialogIsAnnouncedAndThePasswordStillWorks() {
    realm.createUser("noor", "noor-password");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator(); // holds no passkey for this site: the browser reports
    // NotAllowedError
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    String message = pages.message();
    assertTrue(message.startsWith("The passkey request was cancelled"), message);
    WebElement status = browser.find(By.id("passkey-status"));
    assertEquals("alert", status.getAttribute("role"), "screen readers announce it");

    pages.signInWithPassword("noor", "noor-password");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "de, Mit Passkey anmelden",
    "fr, Se connecter avec une clé d'accès",
    "es, Iniciar sesión con una llave de acceso",
    "en, Sign in with a passkey"
  })
  void theLoginPageSpeaksTheUsersLanguage(String locale, String buttonText) {
    Browser browser = browserExtension.browser();
    browser.open(oidc.authorizationUrl(Map.of("ui_locales", locale)));
    LoginPages pages = new LoginPages(browser);
    pages.clickableButtonText();
    assertEquals(buttonText, browser.find(By.id("passkey-sign-in")).getText().trim());
  }

  /**
   * axe in light and dark on the login page: plain, after a cancelled passkey, after a failed one
   * (in the browser, and refused by the server), after a wrong password, in a browser without
   * WebAuthn, and as the step-up after a username step.
   */
  @Test
  void theLoginPageHasNoWcagViolationsInAnyState() {
    String userId = realm.createUser("axel", "axel-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.clickableButtonText();
    assertNoViolations(browser, "login page");
    Reflow.assertReflows(browser, "login page");

    pages.clickSignInWithPasskey(); // the authenticator holds no passkey for this site yet
    assertTrue(pages.message().startsWith("The passkey request was cancelled"));
    new ScreenReader(browser).assertAnnounced("The passkey request was cancelled");
    assertNoViolations(browser, "login page, passkey cancelled");

    browser.script(
        "navigator.credentials.get = () => Promise.reject(new TypeError('broken authenticator'));");
    pages.clickSignInWithPasskey();
    browser.await(d -> pages.message().startsWith("Something went wrong with the passkey"));
    assertNoViolations(browser, "login page, passkey failed");

    pages.signInWithPassword("axel", "wrong-password");
    pages.message();
    assertNoViolations(browser, "login page, wrong password");

    pages.signInWithPassword("axel", "axel-password");
    browser.find(By.id("passkey-name"));
    pages.createPasskey("Axel's key");
    pages.awaitRedirectWithCode();
    browser.signOut();
    realm.deleteCredential(userId, realm.passkeys(userId).get(0).get("id").asText());
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    browser.await(d -> pages.message().startsWith("This passkey could not be used"));
    assertNoViolations(browser, "login page, passkey refused by the server");

    String flowId =
        realm.createFlow("username then passkey", "auth-username-form", "passkey-login");
    realm.createClientWithBrowserFlow("step-up-app", flowId);
    browser.open(oidc.authorizationUrl(Map.of("client_id", "step-up-app")));
    browser.find(By.id("username")).sendKeys("axel");
    browser.find(By.id("kc-login")).click();
    browser.find(By.id("passkey-step-up-intro"));
    assertNoViolations(browser, "login page, step-up");
  }

  @Test
  void aBrowserWithoutWebAuthnGetsAnAccessiblePasswordForm() {
    Browser browser = browserExtension.browser();
    browser.beforeEveryPage(
        "Object.defineProperty(window, 'PublicKeyCredential', {value: undefined, configurable: true});");
    browser.open(oidc.authorizationUrl());
    browser.find(By.id("password"));
    // The page's scripts ran (they would show the button, were WebAuthn there).
    browser.await(d -> browser.script("return document.readyState === 'complete'"));
    assertFalse(
        browser.find(By.id("passkey-sign-in")).isDisplayed(), "no passkey button without WebAuthn");
    assertFalse(browser.find(By.id("passkey-divider")).isDisplayed(), "and no 'or' before nothing");
    assertNoViolations(browser, "login page, browser without WebAuthn");
  }

  /** Plain, an invalid name, and a failed ceremony. */
  @Test
  void theRegistrationPageHasNoWcagViolationsInAnyState() {
    realm.createUser("rhea", "rhea-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword("rhea", "rhea-password");
    WebElement name = browser.find(By.id("passkey-name"));
    assertNoViolations(browser, "registration page");
    Reflow.assertReflows(browser, "registration page");

    name.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    browser.find(By.id("passkey-create")).click();
    browser.await(d -> pages.message().startsWith("Enter a name"));
    assertNoViolations(browser, "registration page, invalid name");

    browser.script(
        "navigator.credentials.create = () =>"
            + " Promise.reject(new DOMException('dismissed', 'NotAllowedError'));");
    pages.createPasskey("Rhea's key");
    browser.await(d -> pages.message().startsWith("The passkey request was cancelled"));
    new ScreenReader(browser).assertAnnounced("The passkey request was cancelled");
    assertNoViolations(browser, "registration page, error");
  }

  @Test
  void theWholePathWorksByKeyboard() {
    String userId = realm.createUser("kim", "kim-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    WebElement username = browser.find(By.id("username"));
    username.sendKeys("kim", Keys.TAB, "kim-password", Keys.ENTER);
    WebElement name = browser.find(By.id("passkey-name"));
    name.sendKeys(Keys.ENTER); // submits with the suggested name
    pages.awaitRedirectWithCode();
    browser.signOut();

    browser.open(oidc.authorizationUrl());
    pages.clickableButtonText();
    browser.find(By.id("username")).click();
    for (int i = 0; i < 12 && !"passkey-sign-in".equals(activeId(browser)); i++) {
      browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
    }
    assertEquals("passkey-sign-in", activeId(browser), "the passkey button is reachable with Tab");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
    String claimsSub =
        Oidc.claims(
                oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText())
            .get("sub")
            .asText();
    assertEquals(userId, claimsSub);
  }

  @Test
  void thePagesKeepWorkingInTheBaseTheme() {
    realm.createUser("basil", "basil-password", "passkey-register");
    var admin = realm.admin();
    var rep =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            admin.ok(admin.get("/realms/" + realm.name()));
    rep.put("loginTheme", "base");
    admin.ok(admin.put("/realms/" + realm.name(), rep));
    try {
      Browser browser = browserExtension.browser();
      browser.addPlatformAuthenticator();
      browser.withoutPasskeyAutofill();
      LoginPages pages = new LoginPages(browser);
      browser.open(oidc.authorizationUrl());
      assertEquals("Sign in with a passkey", pages.clickableButtonText().trim());
      pages.signInWithPassword("basil", "basil-password");
      pages.createPasskey("Base theme key");
      pages.awaitRedirectWithCode();
      browser.signOut();
      browser.open(oidc.authorizationUrl());
      pages.clickSignInWithPasskey();
      assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
    } finally {
      rep.put("loginTheme", "keycloak.v2");
      admin.ok(admin.put("/realms/" + realm.name(), rep));
    }
  }

  private static String activeId(Browser browser) {
    return browser.driver().switchTo().activeElement().getAttribute("id");
  }
}
