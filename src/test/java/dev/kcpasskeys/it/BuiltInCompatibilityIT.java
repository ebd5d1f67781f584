package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/** Passkeys that Keycloak's built-in WebAuthn registered sign in through passkey-login, no re-enrolment. */
@ExtendWith(KeycloakExtension.class)
class BuiltInCompatibilityIT {

  @RegisterExtension
  static final TestRealm realm = new TestRealm();

  @RegisterExtension
  final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void aPasskeyRegisteredByKeycloaksBuiltInSignsInThroughOurs() {
    String userId = realm.createUser("bea", "bea-password", "webauthn-register-passwordless");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword("bea", "bea-password");

    browser.find(By.id("registerWebAuthn")).click(); // Keycloak's own registration page
    acceptLabelPromptIfAny(browser);
    pages.awaitRedirectWithCode();
    assertEquals(1, realm.credentials(userId).findValues("type").stream()
        .filter(t -> t.asText().equals("webauthn-passwordless")).count());

    browser.signOut();
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    String sub = Oidc.claims(oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText())
        .get("sub").asText();
    assertEquals(userId, sub);
  }

  /** Keycloak's built-in asks for a label with window.prompt. */
  private static void acceptLabelPromptIfAny(Browser browser) {
    for (int i = 0; i < 20; i++) {
      try {
        browser.driver().switchTo().alert().accept();
        return;
      } catch (NoAlertPresentException notYet) {
        try {
          if (!browser.driver().getCurrentUrl().contains("/login-actions/")) {
            return;
          }
        } catch (org.openqa.selenium.UnhandledAlertException appearedJustNow) {
          continue; // the prompt opened between the two calls: accept it on the next turn
        }
        sleep();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
