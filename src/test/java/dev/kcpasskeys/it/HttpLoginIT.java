package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The browserless driver against the real server: the happy path, end to end, without Chromium. */
@ExtendWith(KeycloakExtension.class)
class HttpLoginIT {

  @RegisterExtension
  static final TestRealm realm = new TestRealm();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void passwordSignInThenRegistrationThenPasskeySignInGivesTheAppTheUsersSub() {
    String userId = realm.createUser("hana", "hana-password", "passkey-register");
    SoftAuthenticator authenticator = new SoftAuthenticator(realm.server().baseUrl());

    HttpLogin first = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = first.open(oidc.authorizationUrl());
    assertTrue(page.isLoginPage(), page.toString());
    assertTrue(page.options().contains("\"challenge\""), page.options());
    HttpLogin.Result registration = first.passwordSignIn("hana", "hana-password");
    assertTrue(registration.isRegistrationPage(), registration.toString());
    HttpLogin.Result registered = first.register("Hana's soft key", authenticator.register(registration.options()));
    assertNotNull(registered.code(), registered.toString());
    assertEquals(userId, sub(registered.code()));
    JsonNode credentials = realm.credentials(userId);
    assertTrue(credentials.toString().contains("\"userLabel\":\"Hana's soft key\""), credentials.toString());

    HttpLogin second = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result loginPage = second.open(oidc.authorizationUrl());
    HttpLogin.Result signedIn = second.passkeySignIn(authenticator.authenticate(loginPage.options()), "button");
    assertNotNull(signedIn.code(), signedIn.toString());
    JsonNode claims = Oidc.claims(oidc.exchange(signedIn.code()).get("id_token").asText());
    assertEquals(userId, claims.get("sub").asText());
    assertTrue(claims.path("amr").toString().contains("\"user\""), "verified passkey: " + claims);
    assertFalse(claims.path("amr").toString().contains("pwd"), "no password: " + claims);
    assertEquals("button", realm.events("LOGIN").get(0).at("/details/passkey_path").asText());
  }

  @Test
  void wrongPasswordStaysOnTheLoginPageWithTheErrorAndNoCode() {
    realm.createUser("ivan", "ivan-password");
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result result = login.passwordSignIn("ivan", "not-the-password");
    assertEquals(200, result.status());
    assertNull(result.code());
    assertFalse(result.redirectedToClient());
    assertTrue(result.isLoginPage(), result.toString());
    assertEquals("Invalid username or password.", result.error());
  }

  @Test
  void aSecondBrowserHasItsOwnCookiesAndChallenge() {
    HttpLogin one = new HttpLogin(realm.server().baseUrl());
    HttpLogin two = new HttpLogin(realm.server().baseUrl());
    String a = one.open(oidc.authorizationUrl()).challenge();
    String b = two.open(oidc.authorizationUrl()).challenge();
    assertFalse(a.equals(b), "two pages, two challenges");
    assertFalse(one.cookies().isEmpty(), "the server set cookies");
  }

  private String sub(String code) {
    return Oidc.claims(oidc.exchange(code).get("id_token").asText()).get("sub").asText();
  }
}
