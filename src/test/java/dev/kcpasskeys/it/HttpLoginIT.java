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

  @RegisterExtension static final TestRealm realm = new TestRealm();

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
    HttpLogin.Result registered =
        first.register("Hana's soft key", authenticator.register(registration.options()));
    assertNotNull(registered.code(), registered.toString());
    assertEquals(userId, sub(registered.code()));
    JsonNode credentials = realm.credentials(userId);
    assertTrue(
        credentials.toString().contains("\"userLabel\":\"Hana's soft key\""),
        credentials.toString());

    HttpLogin second = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result loginPage = second.open(oidc.authorizationUrl());
    HttpLogin.Result signedIn =
        second.passkeySignIn(authenticator.authenticate(loginPage.options()), "button");
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

  /**
   * Last use is written on the sign-in (straight to the database, issue #6): overwritten in place
   * when the passkey has a recorded last use, created on its first sign-in, and written at most
   * once per resolution (15 minutes) however often the user signs in. Synced passkeys (counter
   * always 0) take this path; a rising counter is written with the metadata instead.
   */
  @Test
  void aSignInRecordsLastUseInPlaceOrFirstTimeAndOncePerResolution() {
    realm.editUserProfile(profile -> profile.put("unmanagedAttributePolicy", "ADMIN_EDIT"));
    Registered returning = registerWithPassword("lena");
    Registered first = registerWithPassword("mia");
    assertEquals(0, lastUsed(first), "registered, never used");
    long threeDaysAgo = System.currentTimeMillis() - java.time.Duration.ofDays(3).toMillis();
    realm.editUser(
        returning.userId(),
        rep ->
            rep.with("attributes")
                .putArray("passkeys.used." + returning.passkeyId())
                .add(Long.toString(threeDaysAgo)));
    assertEquals(threeDaysAgo, lastUsed(returning));

    for (Registered user : java.util.List.of(returning, first)) {
      long before = System.currentTimeMillis();
      signIn(user);
      long recorded = lastUsed(user);
      assertTrue(
          recorded >= before && recorded <= System.currentTimeMillis(), user + ": " + recorded);

      // lena's cached copy still says three days ago (written around the cache, by design), so
      // something other than that copy must say "not due" (the marker, and the UPDATE's own
      // condition behind it). mia's first write went through the user model, which refreshed her
      // cached copy.
      signIn(user);
      assertEquals(
          recorded,
          lastUsed(user),
          "a second sign-in within the resolution writes nothing: " + user);

      realm
          .admin()
          .ok(
              realm
                  .admin()
                  .post("/realms/" + realm.name() + "/clear-user-cache", java.util.Map.of()));
      JsonNode values =
          realm
              .adminGet("/users/" + user.userId())
              .at("/attributes/passkeys.used." + user.passkeyId());
      assertEquals("[\"" + recorded + "\"]", values.toString(), "one stored value: " + user);
    }
  }

  /** Keycloak's own BouncyCastle verifies ES256 about five times faster than the JDK's provider. */
  @Test
  void passkeySignaturesAreVerifiedWithTheBouncyCastleKeycloakShips() {
    signIn(registerWithPassword("ines"));
    String log = realm.server().logSince(0);
    assertTrue(
        log.contains("ECDSA passkey signatures are verified with the BC provider"),
        realm.server().logTail(40));
    assertFalse(
        log.contains("passkey signatures are verified with the JDK's providers"), "no fallback");
  }

  private record Registered(String userId, String passkeyId, SoftAuthenticator authenticator) {}

  private Registered registerWithPassword(String username) {
    String userId = realm.createUser(username, username + "-password", "passkey-register");
    SoftAuthenticator authenticator =
        new SoftAuthenticator(realm.server().baseUrl()).counterStep(0);
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result registration = login.passwordSignIn(username, username + "-password");
    assertNotNull(login.register(username, authenticator.register(registration.options())).code());
    return new Registered(userId, realm.passkeys(userId).get(0).path("id").asText(), authenticator);
  }

  private void signIn(Registered user) {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = login.open(oidc.authorizationUrl());
    HttpLogin.Result signedIn =
        login.passkeySignIn(user.authenticator().authenticate(page.options()), "button");
    assertEquals(user.userId(), sub(signedIn.code()));
  }

  /** The passkey's last use as the admin API reports it, epoch millis; 0 when never used. */
  private long lastUsed(Registered user) {
    JsonNode passkeys =
        realm.adminGet("/passkeys/v1/users/" + user.userId() + "/passkeys").path("passkeys");
    JsonNode at = passkeys.get(0).path("last_used_at");
    return at.isTextual() ? java.time.Instant.parse(at.asText()).toEpochMilli() : 0;
  }

  private String sub(String code) {
    return Oidc.claims(oidc.exchange(code).get("id_token").asText()).get("sub").asText();
  }
}
