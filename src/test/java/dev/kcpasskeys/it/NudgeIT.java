package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.ServerMetrics;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * "Sign in faster next time": offered after a password sign-in, never forced unless the admin says
 * so.
 */
@ExtendWith(KeycloakExtension.class)
class NudgeIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);
  private final ServerMetrics metrics = new ServerMetrics(realm);

  @BeforeEach
  void nudgeOn() {
    realm.settings(
        Map.of("nudge_enabled", true, "nudge_snooze_days", 14, "nudge_force_after_snoozes", 0));
  }

  @AfterEach
  void nudgeOff() {
    realm.settings(Map.of("nudge_enabled", false, "nudge_force_after_snoozes", 0));
  }

  @Test
  void notNowSnoozesTheOfferAcrossSignIns() {
    realm.createUser("nina", "nina-password");
    Browser browser = browser();
    LoginPages pages = signInWithPassword(browser, "nina");
    browser.find(
        By.id("passkey-register-intro")); // the login page has a title too: wait for the offer
    assertEquals("Sign in faster next time", browser.pageTitle("Sign in faster next time"));
    assertNoViolations(browser, "nudge");
    browser.find(By.id("passkey-not-now")).click();
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));

    browser.signOut();
    signInWithPassword(browser, "nina");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()), "snoozed: straight back to the app");
  }

  @Test
  void dontAskAgainIsHonoured() {
    realm.createUser("otto", "otto-password");
    Browser browser = browser();
    LoginPages pages = signInWithPassword(browser, "otto");
    browser.find(By.id("passkey-never")).click();
    pages.awaitRedirectWithCode();
    browser.signOut();
    signInWithPassword(browser, "otto");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
  }

  @Test
  void afterEnoughSnoozesThePasskeyIsRequiredAndThenNoLongerOffered() {
    realm.settings(Map.of("nudge_force_after_snoozes", 1));
    String userId = realm.createUser("pat", "pat-password");
    Browser browser = browser();
    LoginPages pages = signInWithPassword(browser, "pat");
    browser.find(By.id("passkey-not-now")).click();
    pages.awaitRedirectWithCode();

    browser.signOut();
    signInWithPassword(browser, "pat");
    browser.find(By.id("passkey-name"));
    assertTrue(
        browser.driver().findElements(By.id("passkey-not-now")).isEmpty(), "no more Not now");
    long acceptedBefore = metric("keycloak_passkeys_nudges_total", "outcome=\"accepted\"");
    pages.createPasskey(null);
    pages.awaitRedirectWithCode();
    assertEquals(
        "nudge", realm.events("UPDATE_CREDENTIAL").get(0).at("/details/passkey_source").asText());
    assertEquals(
        acceptedBefore + 1, metric("keycloak_passkeys_nudges_total", "outcome=\"accepted\""));
    assertTrue(metric("keycloak_passkeys_registrations_total", "source=\"nudge\"") >= 1);

    browser.signOut();
    signInWithPassword(browser, "pat");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()), "has a passkey: no nudge");
    assertEquals(
        1,
        realm.credentials(userId).findValues("type").stream()
            .filter(t -> t.asText().equals("webauthn-passwordless"))
            .count());
  }

  @Test
  void browsersThatCannotMakeAPasskeyAreNotAsked() {
    realm.createUser("quinn", "quinn-password");
    Browser browser = browserExtension.browser();
    browser.beforeEveryPage("delete window.PublicKeyCredential;");
    LoginPages pages = new LoginPages(browser);
    long unsupported =
        metricDelta(
            () -> {
              browser.open(oidc.authorizationUrl());
              pages.signInWithPassword("quinn", "quinn-password");
              assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
            },
            "unsupported");
    assertEquals(1, unsupported, "counted as 'unsupported'");
    // Not counted as a snooze: with the browser able again, the very next sign-in is offered a
    // passkey.
    try (Browser capable = Browser.start()) {
      capable.addPlatformAuthenticator();
      capable.withoutPasskeyAutofill();
      capable.open(oidc.authorizationUrl());
      new LoginPages(capable).signInWithPassword("quinn", "quinn-password");
      capable.find(By.id("passkey-register-intro"));
      assertEquals("Sign in faster next time", capable.pageTitle("Sign in faster next time"));
    }
  }

  @Test
  void afterAPasskeyFromAnotherDeviceThisDeviceIsOffered() {
    realm.createUser("rey", "rey-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addRoamingAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = signInWithPassword(browser, "rey");
    assertTrue(
        browser.driver().findElements(By.id("passkey-not-now")).isEmpty(),
        "a registration the admin requires is not a nudge");
    pages.createPasskey("Rey's phone");
    pages.awaitRedirectWithCode();

    browser.signOut();
    browser.addPlatformAuthenticator(); // this device can hold a passkey too
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    assertTrue(
        browser
            .find(By.id("passkey-register-intro"))
            .getText()
            .startsWith("You signed in with a passkey from another device"));
    browser.find(By.id("passkey-not-now")).click();
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
  }

  private Browser browser() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    return browser;
  }

  private LoginPages signInWithPassword(Browser browser, String username) {
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword(username, username + "-password");
    return pages;
  }

  private JsonNode user(String userId) {
    return realm.adminGet("/users/" + userId);
  }

  private long metricDelta(Runnable action, String outcome) {
    long before = metric("keycloak_passkeys_nudges_total", "outcome=\"" + outcome + "\"");
    action.run();
    return metric("keycloak_passkeys_nudges_total", "outcome=\"" + outcome + "\"") - before;
  }

  private long metric(String name, String label) {
    return ServerMetrics.counter(realm, name, label);
  }
}
