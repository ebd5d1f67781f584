package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Brute-force protection on the passkey page, held against Keycloak's own login page in the same
 * realm and run (issue #16): the same wrong passwords give the same failure counts in Keycloak's
 * attack-detection API, the same lockout and the same messages. Keycloak's page is the realm's
 * built-in {@code browser} flow, bound to a second client; the realm's browser flow is ours.
 */
@ExtendWith(KeycloakExtension.class)
class BruteForceProtectionIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  /** A public client whose browser flow is Keycloak's built-in one: Keycloak's own login page. */
  private static final String KEYCLOAK_PAGE_CLIENT = "keycloak-own-login";

  /**
   * A public client that names the user first (Keycloak's username form), then asks for that user's
   * passkey.
   */
  private static final String USERNAME_FIRST_CLIENT = "username-first";

  private static final int FAILURE_FACTOR = 3;

  private final Oidc oidc = new Oidc(realm);

  @BeforeAll
  static void clients() {
    realm.createClientWithBrowserFlow(KEYCLOAK_PAGE_CLIENT, realm.flowId("browser").orElseThrow());
    realm.createClientWithBrowserFlow(
        USERNAME_FIRST_CLIENT,
        realm.createFlow("username then passkey", "auth-username-form", "passkey-login"));
  }

  @Test
  void wrongPasswordsCountAndLockOutTemporarilyExactlyAsOnKeycloaksOwnLoginPage() {
    bruteForce(false);
    String ours = realm.createUser("tara", "tara-password");
    String theirs = realm.createUser("theo", "theo-password");
    HttpLogin onOurs = ourPage();
    HttpLogin onTheirs = keycloaksPage();

    for (int attempt = 1; attempt <= FAILURE_FACTOR + 1; attempt++) {
      HttpLogin.Result their = onTheirs.passwordSignIn("theo", "wrong-" + attempt);
      HttpLogin.Result our = onOurs.passwordSignIn("tara", "wrong-" + attempt);
      assertNull(our.code(), "attempt " + attempt);
      assertTrue(our.isLoginPage(), "still our page after attempt " + attempt + ": " + our);
      assertEquals(their.error(), our.error(), "the message after wrong password " + attempt);
      JsonNode theirState = settledState(theirs, Math.min(attempt, FAILURE_FACTOR));
      JsonNode ourState = settledState(ours, Math.min(attempt, FAILURE_FACTOR));
      assertEquals(
          theirState.get("numFailures"), ourState.get("numFailures"), "failures after " + attempt);
      assertEquals(theirState.get("disabled"), ourState.get("disabled"), "locked after " + attempt);
    }
    assertTrue(
        bruteForceState(theirs).get("disabled").asBoolean(), "Keycloak's page locked theo out");
    assertTrue(bruteForceState(ours).get("disabled").asBoolean(), "our page locked tara out");

    // While locked out, the right password is refused on both pages with the same message.
    HttpLogin.Result their = onTheirs.passwordSignIn("theo", "theo-password");
    HttpLogin.Result our = onOurs.passwordSignIn("tara", "tara-password");
    assertNull(their.code(), "Keycloak's page refuses a locked-out user");
    assertNull(our.code(), "our page refuses a locked-out user: " + our);
    assertFalse(our.error().isEmpty(), our.toString());
    assertEquals(their.error(), our.error(), "the lockout message is Keycloak's");
    assertEquals("user_temporarily_disabled", lastLoginError(ours).path("error").asText());
    assertEquals(
        lastLoginError(theirs).path("error").asText(), lastLoginError(ours).path("error").asText());

    // The admin lifts the lockout: the right password signs in again on our page.
    realm
        .admin()
        .ok(
            realm
                .admin()
                .delete("/realms/" + realm.name() + "/attack-detection/brute-force/users/" + ours));
    assertNotNull(
        ourPage().passwordSignIn("tara", "tara-password").code(),
        "signed in after the lockout ended");
  }

  @Test
  void wrongPasswordsLockOutPermanentlyExactlyAsOnKeycloaksOwnLoginPage() {
    bruteForce(true);
    try {
      String ours = realm.createUser("pia", "pia-password");
      String theirs = realm.createUser("paul", "paul-password");
      HttpLogin onOurs = ourPage();
      HttpLogin onTheirs = keycloaksPage();
      for (int attempt = 1; attempt <= FAILURE_FACTOR; attempt++) {
        HttpLogin.Result their = onTheirs.passwordSignIn("paul", "wrong-" + attempt);
        HttpLogin.Result our = onOurs.passwordSignIn("pia", "wrong-" + attempt);
        assertEquals(their.error(), our.error(), "the message after wrong password " + attempt);
        if (attempt < FAILURE_FACTOR) {
          settledState(theirs, attempt);
          settledState(ours, attempt);
        }
      }
      awaitDisabledUser(theirs);
      awaitDisabledUser(ours);
      JsonNode theirState = bruteForceState(theirs);
      JsonNode ourState = bruteForceState(ours);
      assertEquals(
          theirState.get("numFailures"),
          ourState.get("numFailures"),
          "failures: " + theirState + " " + ourState);
      assertEquals(theirState.get("disabled"), ourState.get("disabled"));

      HttpLogin.Result their = onTheirs.passwordSignIn("paul", "paul-password");
      HttpLogin.Result our = onOurs.passwordSignIn("pia", "pia-password");
      assertNull(their.code());
      assertNull(our.code(), "a permanently locked-out user is refused: " + our);
      assertEquals(their.error(), our.error(), "the message is Keycloak's");
      assertEquals(
          lastLoginError(theirs).path("error").asText(),
          lastLoginError(ours).path("error").asText());
    } finally {
      bruteForce(false);
    }
  }

  @Test
  void anUnknownUsernameGetsKeycloaksAnswerAndCountsForNoOne() {
    bruteForce(false);
    HttpLogin.Result their = keycloaksPage().passwordSignIn("nobody-here", "guess");
    HttpLogin.Result our = ourPage().passwordSignIn("nobody-here", "guess");
    assertNull(our.code());
    assertEquals(
        their.error(), our.error(), "no difference between an unknown user and a wrong password");
    assertEquals("Invalid username or password.", our.error());
  }

  @Test
  void aRightPasswordClearsTheFailuresAsOnKeycloaksOwnLoginPage() {
    bruteForce(false);
    String ours = realm.createUser("rosa", "rosa-password");
    String theirs = realm.createUser("rolf", "rolf-password");
    HttpLogin onOurs = ourPage();
    HttpLogin onTheirs = keycloaksPage();
    for (int attempt = 1; attempt < FAILURE_FACTOR; attempt++) {
      onTheirs.passwordSignIn("rolf", "wrong-" + attempt);
      onOurs.passwordSignIn("rosa", "wrong-" + attempt);
    }
    settledState(ours, FAILURE_FACTOR - 1);
    settledState(theirs, FAILURE_FACTOR - 1);
    assertNotNull(onTheirs.passwordSignIn("rolf", "rolf-password").code());
    assertNotNull(onOurs.passwordSignIn("rosa", "rosa-password").code());
    assertEquals(
        0, settledState(theirs, 0).get("numFailures").asInt(), "Keycloak's page cleared them");
    assertEquals(0, settledState(ours, 0).get("numFailures").asInt(), "our page cleared them");
  }

  /**
   * A discoverable attempt identifies nobody: a credential nobody owns, or one that claims
   * someone's user handle, must not count against anyone, not even against the username last typed
   * on the page.
   */
  @Test
  void anonymousPasskeyFailuresCountForNoOne() {
    bruteForce(false);
    String victim = realm.createUser("vera", "vera-password");
    HttpLogin page = ourPage();
    page.passwordSignIn("vera", "wrong-once");
    settledState(victim, 1);

    SoftAuthenticator stranger = new SoftAuthenticator(realm.server().baseUrl());
    stranger.register(
        creationOptionsNobodyAsked()); // a key of the stranger's own, registered nowhere
    for (int attempt = 0; attempt < FAILURE_FACTOR + 1; attempt++) {
      byte[] victimsHandle = victim.getBytes(StandardCharsets.UTF_8);
      HttpLogin.Result result =
          page.passkeySignIn(
              stranger.authenticate(page.last().options(), Tweaks.none().userHandle(victimsHandle)),
              "button");
      assertNull(result.code());
      assertEquals(
          "This passkey could not be used to sign in. Try another passkey or sign in another way.",
          result.error(),
          "the uniform answer (passkeyNotRecognized): " + result);
    }
    // One counted failure after them: the count goes from 1 to exactly 2, so none of them counted.
    page.passwordSignIn("vera", "wrong-twice");
    JsonNode state = settledState(victim, 2);
    assertFalse(
        state.get("disabled").asBoolean(), "vera is not locked out by someone else's passkey");
  }

  /**
   * After a username step the ceremony is for that user: a failed one counts as a failed second
   * factor.
   */
  @Test
  void passkeyFailuresOfAnIdentifiedUserCountAndLockOut() {
    bruteForce(false);
    String userId = realm.createUser("ida", "ida-password", "passkey-register");
    SoftAuthenticator idas = new SoftAuthenticator(realm.server().baseUrl());
    HttpLogin registration = ourPage();
    HttpLogin.Result registerPage = registration.passwordSignIn("ida", "ida-password");
    assertNotNull(registration.register("Ida's key", idas.register(registerPage.options())).code());

    HttpLogin page = new HttpLogin(realm.server().baseUrl());
    page.open(oidc.authorizationUrl(Map.of("client_id", USERNAME_FIRST_CLIENT)));
    HttpLogin.Result asked =
        page.post(page.last().formAction("kc-form-login").orElseThrow(), Map.of("username", "ida"));
    assertTrue(
        asked.html().contains("passkey-step-up-intro"), "only ida's passkeys are asked: " + asked);

    HttpLogin.Result cancelled =
        page.post(page.passkeyAction(), Map.of("passkey_error", "NotAllowedError"));
    assertTrue(cancelled.isLoginPage(), cancelled.toString());
    for (int attempt = 1; attempt <= FAILURE_FACTOR; attempt++) {
      HttpLogin.Result failed =
          page.passkeySignIn(
              idas.authenticate(page.last().options(), Tweaks.none().corruptSignature()), null);
      assertNull(failed.code());
      // A cancelled dialog is no attempt: the first bad signature is the first failure.
      assertEquals(
          attempt,
          settledState(userId, attempt).get("numFailures").asInt(),
          "after bad signature " + attempt);
    }
    assertTrue(bruteForceState(userId).get("disabled").asBoolean(), "ida is locked out");

    // Locked out: even her real passkey is refused, with Keycloak's lockout message on the page.
    HttpLogin.Result refused = page.passkeySignIn(idas.authenticate(page.last().options()), null);
    assertNull(refused.code(), refused.toString());
    String keycloaksMessage = lockedOutMessageOnKeycloaksPage();
    assertEquals(keycloaksMessage, refused.error(), refused.toString());
    assertEquals(
        FAILURE_FACTOR,
        bruteForceState(userId).get("numFailures").asInt(),
        "a locked-out attempt adds nothing");

    // A discoverable sign-in with her real passkey is refused too (Keycloak's check before
    // success).
    HttpLogin fresh = ourPage();
    HttpLogin.Result anonymous =
        fresh.passkeySignIn(idas.authenticate(fresh.last().options()), "button");
    assertNull(anonymous.code());
    assertEquals(keycloaksMessage, anonymous.error(), anonymous.toString());
  }

  // --- helpers ---

  private HttpLogin ourPage() {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = login.open(oidc.authorizationUrl());
    assertTrue(page.isLoginPage(), "the realm's browser flow is the passkey page: " + page);
    return login;
  }

  private HttpLogin keycloaksPage() {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page =
        login.open(oidc.authorizationUrl(Map.of("client_id", KEYCLOAK_PAGE_CLIENT)));
    assertFalse(page.isLoginPage(), "Keycloak's own page, not ours");
    assertTrue(
        page.formAction("kc-form-login").isPresent(),
        "Keycloak's username and password form: " + page);
    return login;
  }

  /**
   * What Keycloak's own page says to a temporarily locked-out user who types the right password.
   */
  private String lockedOutMessageOnKeycloaksPage() {
    String locked = realm.createUser("lukas", "lukas-password");
    HttpLogin page = keycloaksPage();
    for (int attempt = 1; attempt <= FAILURE_FACTOR; attempt++) {
      page.passwordSignIn("lukas", "wrong-" + attempt);
    }
    settledState(locked, FAILURE_FACTOR);
    String message = page.passwordSignIn("lukas", "lukas-password").error();
    assertFalse(message.isEmpty());
    return message;
  }

  /** Creation options the stranger's authenticator answers on its own, for this server's RP ID. */
  private String creationOptionsNobodyAsked() {
    String rpId = java.net.URI.create(realm.server().baseUrl()).getHost();
    return "{\"rp\":{\"id\":\""
        + rpId
        + "\"},\"user\":{\"id\":\"c3RyYW5nZXI\"},\"challenge\":\"AAAA\","
        + "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}";
  }

  private void bruteForce(boolean permanent) {
    AdminClient admin = realm.admin();
    Map<String, Object> settings = new HashMap<>();
    settings.put("bruteForceProtected", true);
    settings.put("permanentLockout", permanent);
    settings.put("maxTemporaryLockouts", 0);
    settings.put("failureFactor", FAILURE_FACTOR);
    settings.put("waitIncrementSeconds", 300);
    settings.put("maxFailureWaitSeconds", 900);
    settings.put("maxDeltaTimeSeconds", 43200);
    // Tests type fast: the quick-login rule would lock after any two failures within this time.
    settings.put("quickLoginCheckMilliSeconds", 1);
    settings.put("minimumQuickLoginWaitSeconds", 60);
    admin.ok(admin.put("/realms/" + realm.name(), settings));
  }

  private JsonNode bruteForceState(String userId) {
    return realm.adminGet("/attack-detection/brute-force/users/" + userId);
  }

  /**
   * Keycloak records failures off the request thread: waits until the count reaches {@code
   * expected}, then a moment more, and returns the state, which must then still hold exactly {@code
   * expected}.
   */
  private JsonNode settledState(String userId, int expected) {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonNode state = bruteForceState(userId);
    while (state.path("numFailures").asInt() < expected && System.currentTimeMillis() < deadline) {
      pause(100);
      state = bruteForceState(userId);
    }
    pause(300);
    state = bruteForceState(userId);
    assertEquals(
        expected, state.path("numFailures").asInt(), "failures of " + userId + ": " + state);
    return state;
  }

  private void awaitDisabledUser(String userId) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (realm.adminGet("/users/" + userId).path("enabled").asBoolean()
        && System.currentTimeMillis() < deadline) {
      pause(100);
    }
    assertTrue(
        bruteForceState(userId).get("disabled").asBoolean(), "locked permanently: " + userId);
  }

  private JsonNode lastLoginError(String userId) {
    JsonNode events = realm.events("LOGIN_ERROR", userId);
    assertTrue(events.size() > 0, "a LOGIN_ERROR for " + userId);
    return events.get(0);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
