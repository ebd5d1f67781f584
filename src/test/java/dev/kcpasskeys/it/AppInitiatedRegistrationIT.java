package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * An app sends the signed-in user to {@code kc_action=passkey-register} and gets them back with a
 * status.
 */
@ExtendWith(KeycloakExtension.class)
class AppInitiatedRegistrationIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);
  private static final String APP_REGISTRATIONS = "/last_30_days/registrations_by_source/app";

  @Test
  void returnsToTheAppWithSuccessThenSkipsWhenAPasskeyExists() {
    String userId = realm.createUser("lin", "lin-password");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    LoginPages pages = signedIn(browser, "lin", "lin-password");

    long appRegistrations = realm.stat(APP_REGISTRATIONS);
    browser.open(oidc.authorizationUrl(Map.of("kc_action", "passkey-register")));
    pages.createPasskey("Lin's phone");
    String url = pages.awaitRedirectWithCode();
    assertEquals("success", Oidc.paramOf(url, "kc_action_status"));
    assertEquals(
        1,
        realm.credentials(userId).findValues("type").stream()
            .filter(t -> t.asText().equals("webauthn-passwordless"))
            .count());
    assertEquals(
        appRegistrations + 1, realm.stat(APP_REGISTRATIONS), "counted once, as app-initiated");

    browser.open(oidc.authorizationUrl(Map.of("kc_action", "passkey-register:skip_if_exists")));
    String skipped = pages.awaitRedirectWithCode();
    assertEquals("success", Oidc.paramOf(skipped, "kc_action_status"));
    assertEquals(
        1,
        realm.credentials(userId).findValues("type").stream()
            .filter(t -> t.asText().equals("webauthn-passwordless"))
            .count(),
        "skip_if_exists registered nothing");
    assertEquals(appRegistrations + 1, realm.stat(APP_REGISTRATIONS), "and counted nothing");
  }

  @Test
  void cancelReturnsToTheAppWithCancelledAndStoresNothing() {
    String userId = realm.createUser("moe", "moe-password");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    LoginPages pages = signedIn(browser, "moe", "moe-password");

    browser.open(oidc.authorizationUrl(Map.of("kc_action", "passkey-register")));
    browser.find(By.id("passkey-cancel")).click();
    String url = pages.awaitRedirectWithCode();
    assertEquals("cancelled", Oidc.paramOf(url, "kc_action_status"));
    assertEquals(
        0,
        realm.credentials(userId).findValues("type").stream()
            .filter(t -> t.asText().startsWith("webauthn"))
            .count());
  }

  @Test
  void theAppHelperTellsWhetherToOfferAPasskey() {
    Browser browser = browserExtension.browser();
    String module = realm.realmUrl() + "/passkeys/v1/passkeys.js";
    browser.open(realm.realmUrl() + "/passkeys/v1/.well-known");
    assertEquals(Boolean.FALSE, canRegister(browser, module), "no authenticator in this browser");
    browser.addPlatformAuthenticator();
    assertEquals(
        Boolean.TRUE,
        canRegister(browser, module),
        "a platform authenticator with user verification");
    Object url =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "import(arguments[0]).then(m => done(m.addPasskeyUrl({issuer: 'https://id.example/realms/r',"
                + " clientId: 'app', redirectUri: 'https://app.example/cb', skipIfExists: true})));",
            module);
    assertTrue(
        String.valueOf(url).contains("kc_action=passkey-register%3Askip_if_exists"),
        String.valueOf(url));
  }

  private static Object canRegister(Browser browser, String module) {
    return browser.asyncScript(
        "const done = arguments[arguments.length - 1];"
            + "import(arguments[0]).then(m => m.canRegisterPasskey()).then(done, e => done(String(e)));",
        module);
  }

  private LoginPages signedIn(Browser browser, String username, String password) {
    LoginPages pages = new LoginPages(browser);
    browser.withoutPasskeyAutofill();
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword(username, password);
    pages.awaitRedirectWithCode();
    return pages;
  }
}
