package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.FirstPartyApp;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The served {@code passkeys.js} in Chromium (issue 19, part): {@code createPasskey()} adds a
 * passkey in one call, and its failures carry stable codes.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeysSdkIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  /** Runs createPasskey() in the page; its result, or the error's code, name and status. */
  private static JsonNode createPasskey(Browser browser, String token, String name)
      throws Exception {
    Object answer =
        browser.asyncScript(
            "const [sdk, issuer, accessToken, name] = arguments;"
                + " const done = arguments[arguments.length - 1];"
                + " import(sdk)"
                + "  .then((m) => m.createPasskey({ issuer, accessToken, name }))"
                + "  .then((passkey) => done(JSON.stringify({ passkey })),"
                + "        (e) => done(JSON.stringify({ code: e.code, name: e.name, status: e.status })));",
            realm.realmUrl() + "/passkeys/v1/passkeys.js",
            realm.realmUrl(),
            token,
            name);
    return AdminClient.JSON.readTree(answer.toString());
  }

  private Browser browserOnTheRealmsOrigin() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.open(realm.realmUrl() + "/passkeys/v1/.well-known");
    return browser;
  }

  @Test
  void createPasskeyAddsOneInOneCall() throws Exception {
    String userId = realm.createUser("sid", "sid-password");
    String token = ApiClient.userToken(realm, "sid", "sid-password", "openid passkeys");
    Browser browser = browserOnTheRealmsOrigin();
    JsonNode created = createPasskey(browser, token, "SDK key");
    assertEquals("SDK key", created.at("/passkey/name").asText(), created.toString());
    assertEquals(1, realm.passkeys(userId).size());

    // Sid has a passkey now: a password session cannot add another, and the code says why.
    JsonNode refused = createPasskey(browser, token, "Second");
    assertEquals(
        "passkey_reauthentication_required", refused.get("code").asText(), refused.toString());
    assertEquals("PasskeyError", refused.get("name").asText());
    assertEquals(403, refused.get("status").asInt());
  }

  @Test
  void aCancelledDialogIsTheCodeCancelledAndNothingIsSaved() throws Exception {
    String userId = realm.createUser("cal", "cal-password");
    String token = ApiClient.userToken(realm, "cal", "cal-password", "openid passkeys");
    Browser browser = browserOnTheRealmsOrigin();
    browser.script(
        "navigator.credentials.create = () =>"
            + " Promise.reject(new DOMException('dismissed', 'NotAllowedError'));");
    JsonNode cancelled = createPasskey(browser, token, "Never");
    assertEquals("cancelled", cancelled.get("code").asText(), cancelled.toString());
    assertEquals(0, realm.passkeys(userId).size());
  }

  /** Runs signInWithPasskey() in the page; the token response, or the error's code and status. */
  private static JsonNode signInWithPasskey(Browser browser, String clientId) throws Exception {
    Object answer =
        browser.asyncScript(
            "const [sdk, issuer, clientId] = arguments;"
                + " const done = arguments[arguments.length - 1];"
                + " import(sdk)"
                + "  .then((m) => m.signInWithPasskey({ issuer, clientId }))"
                + "  .then((tokens) => done(JSON.stringify({ tokens })),"
                + "        (e) => done(JSON.stringify({ code: e.code, name: e.name, status: e.status })));",
            realm.realmUrl() + "/passkeys/v1/passkeys.js",
            realm.realmUrl(),
            clientId);
    return AdminClient.JSON.readTree(answer.toString());
  }

  @Test
  void signInWithPasskeyGivesAFirstPartyAppTokensWithoutTheLoginPage() throws Exception {
    FirstPartyApp.createClient(realm, "sdk-spa", true);
    FirstPartyApp.createClient(realm, "sdk-third-party", false);
    String userId = realm.createUser("fia", "fia-password");
    String token = ApiClient.userToken(realm, "fia", "fia-password", "openid passkeys");
    Browser browser = browserOnTheRealmsOrigin();
    createPasskey(browser, token, "Fia's key");

    JsonNode signedIn = signInWithPasskey(browser, "sdk-spa");
    assertTrue(signedIn.has("tokens"), signedIn.toString());
    JsonNode claims = Oidc.claims(signedIn.at("/tokens/id_token").asText());
    assertEquals(userId, claims.get("sub").asText());
    assertEquals("sdk-spa", claims.get("azp").asText());

    JsonNode refused = signInWithPasskey(browser, "sdk-third-party");
    assertEquals("redirect_to_web", refused.get("code").asText(), refused.toString());
    assertEquals("PasskeyError", refused.get("name").asText());
    assertEquals(400, refused.get("status").asInt());
  }
}
