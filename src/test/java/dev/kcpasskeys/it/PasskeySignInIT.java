package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * Register a passkey during login, then sign in with it without a username; the app gets sub and
 * amr.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeySignInIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void registersDuringLoginThenSignsInWithTheButtonWithoutAUsername() {
    String userId = realm.createUser("ada", "ada-password", "passkey-register");
    Browser browser = browserExtension.browser();
    VirtualAuthenticator authenticator = browser.addPlatformAuthenticator();
    LoginPages pages = new LoginPages(browser);

    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword("ada", "ada-password");
    assertFalse(pages.passkeyNameField().isBlank(), "the name field has a default");
    pages.createPasskey("Ada's laptop");
    JsonNode first =
        Oidc.claims(
            oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
    assertEquals(userId, first.get("sub").asText());
    assertTrue(amr(first).contains("pwd"), "password sign-in: " + first.get("amr"));

    JsonNode credentials = realm.credentials(userId);
    List<String> passkeys = new ArrayList<>();
    credentials.forEach(
        c -> {
          if (c.get("type").asText().equals("webauthn-passwordless")) {
            passkeys.add(c.get("userLabel").asText());
          }
        });
    assertEquals(
        List.of("Ada's laptop"), passkeys, "stored as Keycloak's own passkey type: " + credentials);
    assertEquals(1, authenticator.getCredentials().size());
    assertTrue(authenticator.getCredentials().get(0).isResidentCredential(), "discoverable");

    browser.signOut();
    browser.withoutPasskeyAutofill();
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    JsonNode second =
        Oidc.claims(
            oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
    assertEquals(userId, second.get("sub").asText());
    assertTrue(
        amr(second).contains("hwk") && amr(second).contains("user"),
        "passkey sign-in: " + second.get("amr"));
    assertFalse(amr(second).contains("pwd"), "no password used: " + second.get("amr"));
    assertEquals("button", realm.events("LOGIN").get(0).at("/details/passkey_path").asText());
  }

  @Test
  void signsInThroughAutofillOnTheUsernameField() {
    String userId = realm.createUser("grace", "grace-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword("grace", "grace-password");
    pages.createPasskey(null);
    pages.awaitRedirectWithCode();
    browser.signOut();

    // The username field asks for passkeys in autofill; the virtual authenticator picks the only
    // one.
    browser.open(oidc.authorizationUrl());
    JsonNode claims =
        Oidc.claims(
            oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
    assertEquals(userId, claims.get("sub").asText());
    JsonNode login = realm.events("LOGIN").get(0);
    assertEquals(userId, login.get("userId").asText());
    assertEquals("autofill", login.at("/details/passkey_path").asText());
  }

  @Test
  void realmImportedWithPasskeysEnabledUsesThePasskeysBrowserFlow() {
    JsonNode settings = realm.adminGet("/passkeys/v1/settings");
    assertTrue(settings.get("enabled").asBoolean(), settings.toString());
    assertEquals("passkeys browser", settings.get("browser_flow").asText());
  }

  static List<String> amr(JsonNode claims) {
    List<String> values = new ArrayList<>();
    claims.path("amr").forEach(v -> values.add(v.asText()));
    return values;
  }
}
