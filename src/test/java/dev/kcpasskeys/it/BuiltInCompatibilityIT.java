package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.BuiltInWebAuthnPages;
import dev.kcpasskeys.it.support.FirstPartyApp;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * Passkeys that Keycloak's built-in WebAuthn registered sign in through passkey-login, no
 * re-enrolment.
 */
@ExtendWith(KeycloakExtension.class)
class BuiltInCompatibilityIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

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
    assertEquals(
        1,
        realm.credentials(userId).findValues("type").stream()
            .filter(t -> t.asText().equals("webauthn-passwordless"))
            .count());

    browser.signOut();
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    String sub =
        Oidc.claims(
                oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText())
            .get("sub")
            .asText();
    assertEquals(userId, sub);

    // The same built-in passkey signs a first-party app in without the login page.
    FirstPartyApp.createClient(realm, "built-in-spa", true);
    browser.open(realm.realmUrl() + "/passkeys/v1/.well-known");
    Object answer =
        browser.asyncScript(
            "const [sdk, issuer] = arguments; const done = arguments[arguments.length - 1];"
                + " import(sdk).then((m) => m.signInWithPasskey({ issuer, clientId: 'built-in-spa' }))"
                + "  .then((t) => done(t.id_token), (e) => done('error ' + e.code));",
            realm.realmUrl() + "/passkeys/v1/passkeys.js",
            realm.realmUrl());
    assertEquals(
        userId, Oidc.claims(String.valueOf(answer)).get("sub").asText(), String.valueOf(answer));
  }

  /**
   * Issue #17: every backup-flag combination of a built-in passkey (BE/BS 0/0, 1/0, 1/1) and a
   * device-bound key whose counter is above 0 sign in through ours again and again, keeping name,
   * creation date and counter, and are listed by the admin API. Before, a BE=1 BS=0 passkey was
   * refused from its second sign-in on (its first stored BS as BE).
   */
  @Test
  void builtInPasskeysOfEveryBackupFlagCombinationSignInAgainAndAgain() throws Exception {
    record Kind(String name, boolean be, boolean bs, long firstCounter) {}
    for (Kind kind :
        java.util.List.of(
            new Kind("be0bs0", false, false, 0),
            new Kind("be1bs0", true, false, 0),
            new Kind("be1bs1", true, true, 0),
            new Kind("counter", false, false, 41))) {
      String username = "builtin-" + kind.name();
      String userId =
          realm.createUser(username, username + "-pw", "webauthn-register-passwordless");
      SoftAuthenticator key =
          new SoftAuthenticator(realm.server().baseUrl())
              .counterStep(kind.firstCounter() > 0 ? 1 : 0);
      Tweaks flags = Tweaks.none().backupEligible(kind.be()).backedUp(kind.bs());
      HttpLogin login = new HttpLogin(realm.server().baseUrl());
      login.open(oidc.authorizationUrl());
      HttpLogin.Result builtInPage = login.passwordSignIn(username, username + "-pw");
      assertTrue(
          BuiltInWebAuthnPages.isRegistrationPage(builtInPage),
          "Keycloak's own registration page: " + builtInPage);
      String response =
          key.register(
              BuiltInWebAuthnPages.creationOptions(builtInPage, realm.server().baseUrl()),
              Tweaks.none()
                  .backupEligible(kind.be())
                  .backedUp(kind.bs())
                  .signCount(kind.firstCounter()));
      assertNotNull(
          BuiltInWebAuthnPages.register(login, response, "Built-in " + kind.name()).code(),
          kind.name());
      JsonNode registered = realm.passkeys(userId).get(0);

      for (int signIn = 1; signIn <= 3; signIn++) {
        HttpLogin again = new HttpLogin(realm.server().baseUrl());
        HttpLogin.Result page = again.open(oidc.authorizationUrl());
        HttpLogin.Result signedIn =
            again.passkeySignIn(key.authenticate(page.options(), flags), "button");
        assertNotNull(signedIn.code(), kind.name() + ", sign-in " + signIn + ": " + signedIn);
      }
      JsonNode after = realm.passkeys(userId).get(0);
      assertEquals(registered.get("id"), after.get("id"), kind.name());
      assertEquals("Built-in " + kind.name(), after.path("userLabel").asText(), "the name is kept");
      assertEquals(
          registered.get("createdDate"), after.get("createdDate"), "the creation date is kept");
      long counter =
          AdminClient.JSON.readTree(after.path("credentialData").asText()).path("counter").asLong();
      assertEquals(
          kind.firstCounter() > 0 ? kind.firstCounter() + 3 : 0, counter, kind.name() + " counter");
      JsonNode listed =
          realm.adminGet("/passkeys/v1/users/" + userId + "/passkeys").path("passkeys");
      assertEquals(1, listed.size(), listed.toString());
      assertEquals(
          "Built-in " + kind.name(), listed.get(0).path("name").asText(), listed.toString());
    }
  }

  /**
   * The other direction (issue #17): passkeys the extension registered sign in through Keycloak's
   * own passwordless WebAuthn authenticator, as they must after the extension is disabled and
   * uninstalled. Here Keycloak's authenticator runs beside ours in one server (a flow of Keycloak's
   * own steps bound to one client); the uninstall itself (JAR removed, kc.sh build, restart) is not
   * exercised.
   */
  @Test
  void passkeysTheExtensionRegisteredSignInThroughKeycloaksOwnPasswordlessAuthenticator() {
    String userId = realm.createUser("ulla", "ulla-password");
    SoftAuthenticator ullas = new SoftAuthenticator(realm.server().baseUrl());
    new ApiClient(realm, ApiClient.userToken(realm, "ulla", "ulla-password", "openid passkeys"))
        .register(ullas, "Ulla's key");

    realm.createClientWithBrowserFlow(
        "keycloak-only",
        realm.createFlow(
            "keycloak passwordless", "auth-username-form", "webauthn-authenticator-passwordless"));

    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl(Map.of("client_id", "keycloak-only")));
    HttpLogin.Result keycloaksPage =
        login.post(
            login.last().formAction("kc-form-login").orElseThrow(), Map.of("username", "ulla"));
    assertTrue(
        BuiltInWebAuthnPages.isSignInPage(keycloaksPage),
        "Keycloak's own passkey page: " + keycloaksPage);
    HttpLogin.Result signedIn =
        BuiltInWebAuthnPages.signIn(
            login,
            ullas.authenticate(
                BuiltInWebAuthnPages.requestOptions(keycloaksPage, realm.server().baseUrl())));
    assertNotNull(signedIn.code(), signedIn.toString());
    assertEquals(userId, realm.events("LOGIN", userId).path(0).path("userId").asText());
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
        } catch (org.openqa.selenium.WebDriverException appearedJustNow) {
          // The prompt opened between the two calls (Chromium says so, or does not answer while
          // the dialog blocks the page): accept it on the next turn.
          continue;
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
