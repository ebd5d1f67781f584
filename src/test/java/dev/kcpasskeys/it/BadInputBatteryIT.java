package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.HttpLogin.Result;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.PasskeyAccounts.Account;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.SoftKey;
import dev.kcpasskeys.testing.Tweaks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input against the real server over HTTP (no browser), by checklist category. Every case
 * checks the clear error the person sees (never a 500 or a stack trace) and that nothing changed:
 * no new credential, stored counters as before, no session and no code for the client.
 */
@ExtendWith(KeycloakExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BadInputBatteryIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  static final String NOT_RECOGNIZED =
      "This passkey could not be used to sign in. Try another passkey or sign in another way.";
  static final String FAILED = "Something went wrong with the passkey. Try again.";
  static final String EXPIRED = "This page expired. Try again.";
  static final String WRONG_SITE = "This passkey was made for a different site.";
  static final String MALFORMED = "The passkey response was not understood. Try again.";
  static final String UV_REQUIRED =
      "Your device must verify it's you (PIN, fingerprint or face) to use a passkey.";
  static final String UP_REQUIRED =
      "Your device did not confirm that you were there. Try again and confirm on your device when it asks.";
  static final String ALREADY_REGISTERED =
      "This passkey is already registered. Choose another authenticator or password manager.";
  static final String CANCELLED =
      "The passkey request was cancelled. Try again, or sign in another way.";
  static final String NAME_REQUIRED = "Enter a name for the passkey.";
  static final String NAME_TOO_LONG = "The name is too long: use at most 64 characters.";
  static final String NAME_INVALID = "The name contains characters that cannot be used.";

  private static final Pattern STACK_FRAME = Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(");

  /** Keycloak's own words when the auth session is gone: timed out, expired, or no cookie. */
  static final Pattern START_AGAIN = Pattern.compile("(?i)timed out|expired|cookie");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger USERS = new AtomicInteger();

  static PasskeyAccounts accounts;
  static Oidc oidc;

  /**
   * The shared victim: one passkey, signed in with by many cases; every rejected case leaves it as
   * it was.
   */
  static Account alice;

  @BeforeAll
  static void aliceHasAPasskey() {
    accounts = new PasskeyAccounts(realm);
    oidc = new Oidc(realm);
    alice = accounts.withPasskey("alice");
  }

  // ---------------------------------------------------------------- 1. Ceremony tampering

  @Nested
  class Ceremony_tampering_at_sign_in {

    static Stream<Arguments> tamperedAssertions() {
      String origin = realmOrigin();
      return Stream.of(
          assertion(
              "clientData type webauthn.create",
              Tweaks.none().clientDataType("webauthn.create"),
              MALFORMED),
          assertion("clientData type empty", Tweaks.none().clientDataType(""), MALFORMED),
          assertion(
              "challenge of another page", Tweaks.none().challenge(randomBase64Url(32)), FAILED),
          assertion(
              "origin of another site", Tweaks.none().origin("https://evil.example"), WRONG_SITE),
          assertion(
              "origin without the port", Tweaks.none().origin("http://localhost"), WRONG_SITE),
          assertion("origin with a trailing slash", Tweaks.none().origin(origin + "/"), WRONG_SITE),
          assertion(
              "origin with https scheme",
              Tweaks.none().origin(origin.replace("http:", "https:")),
              WRONG_SITE),
          assertion("crossOrigin true", Tweaks.none().crossOrigin(true), WRONG_SITE),
          assertion(
              "topOrigin without crossOrigin",
              Tweaks.none().crossOrigin(false).topOrigin("https://evil.example"),
              WRONG_SITE),
          assertion(
              "rpIdHash of another RP ID", Tweaks.none().rpIdForHash("example.org"), WRONG_SITE),
          assertion("user presence flag clear", Tweaks.none().userPresent(false), UP_REQUIRED),
          assertion("user verification flag clear", Tweaks.none().userVerified(false), UV_REQUIRED),
          assertion(
              "backed up without backup eligibility",
              Tweaks.none().backupEligible(false).backedUp(true),
              FAILED),
          assertion("bad signature", Tweaks.none().corruptSignature(), NOT_RECOGNIZED),
          assertion(
              "attested-data flag on an assertion",
              Tweaks.none().attestedDataFlagOnAssertion(true),
              MALFORMED),
          assertion(
              "credential type not public-key",
              Tweaks.none().credentialType("password"),
              MALFORMED));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("tamperedAssertions")
    void a_tampered_assertion_is_rejected_and_changes_nothing(
        Tweaks tweaks, String expectedMessage) {
      State before = State.of(alice.userId());
      HttpLogin login = accounts.loginPage();
      Result result =
          login.passkeySignIn(
              alice
                  .authenticator()
                  .authenticate(login.last().options(), alice.credential(), tweaks),
              "button");
      assertRejected(result, expectedMessage);
      assertTrue(result.isLoginPage(), "the login page again, ready for another try: " + result);
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void a_registration_response_posted_to_sign_in_is_rejected() {
      State before = State.of(alice.userId());
      HttpLogin login = accounts.loginPage();
      String creationShaped =
          new SoftAuthenticator(realmOrigin()).register(creationOptionsFor(login.last()));
      assertRejected(login.passkeySignIn(creationShaped, "button"), MALFORMED);
      assertEquals(before, State.of(alice.userId()));
    }
  }

  @Nested
  class Ceremony_tampering_at_registration {

    static Stream<Arguments> tamperedRegistrations() {
      return Stream.of(
          registration(
              "clientData type webauthn.get",
              Tweaks.none().clientDataType("webauthn.get"),
              MALFORMED),
          registration(
              "challenge of another page", Tweaks.none().challenge(randomBase64Url(32)), FAILED),
          registration(
              "origin of another site", Tweaks.none().origin("https://evil.example"), WRONG_SITE),
          registration("crossOrigin true", Tweaks.none().crossOrigin(true), WRONG_SITE),
          registration(
              "topOrigin without crossOrigin",
              Tweaks.none().crossOrigin(false).topOrigin("https://evil.example"),
              WRONG_SITE),
          registration(
              "rpIdHash of another RP ID", Tweaks.none().rpIdForHash("example.org"), WRONG_SITE),
          registration("user presence flag clear", Tweaks.none().userPresent(false), UP_REQUIRED),
          registration(
              "user verification flag clear", Tweaks.none().userVerified(false), UV_REQUIRED),
          registration(
              "backed up without backup eligibility",
              Tweaks.none().backupEligible(false).backedUp(true),
              FAILED),
          registration("ES384 key, not offered", Tweaks.none().alg(SoftKey.Alg.ES384), FAILED),
          registration(
              "packed self attestation with a bad signature",
              Tweaks.none().fmt("packed").corruptSignature(),
              FAILED),
          registration("unknown attestation format", Tweaks.none().fmt("Packed"), FAILED),
          registration(
              "credential ID of 1024 bytes", Tweaks.none().credentialIdLength(1024), FAILED),
          registration(
              "credential type not public-key",
              Tweaks.none().credentialType("password"),
              MALFORMED));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("tamperedRegistrations")
    void a_tampered_registration_is_rejected_and_stores_nothing(
        Tweaks tweaks, String expectedMessage) {
      RegistrationTab tab = registrationTab();
      String userId = tab.userId;
      State before = State.of(userId);
      Result result =
          tab.login.register(
              "Tampered",
              new SoftAuthenticator(realmOrigin()).register(tab.login.last().options(), tweaks));
      assertRejected(result, expectedMessage);
      assertTrue(result.isRegistrationPage(), "the registration page again: " + result);
      assertEquals(before, State.of(userId));
      assertEquals(0, passkeyCount(userId));
    }

    @Test
    void an_assertion_posted_to_registration_is_rejected() {
      RegistrationTab tab = registrationTab();
      State before = State.of(tab.userId);
      String assertionShaped =
          alice
              .authenticator()
              .authenticate(requestOptionsFor(tab.login.last()), alice.credential(), Tweaks.none());
      assertRejected(tab.login.register("Assertion", assertionShaped), MALFORMED);
      assertEquals(before, State.of(tab.userId));
      assertEquals(0, passkeyCount(tab.userId));
    }
  }

  // ---------------------------------------------------------------- 2. Replay

  @Nested
  class Replay {

    @Test
    void a_captured_successful_sign_in_replayed_by_another_browser_gets_no_code() {
      HttpLogin victim = accounts.loginPage();
      String action = victim.passkeyAction();
      String response = alice.authenticator().authenticate(victim.last().options());
      assertNotNull(victim.passkeySignIn(response, "button").code(), "the original sign-in works");
      State after = State.of(alice.userId());

      HttpLogin attacker = new HttpLogin(realmOrigin());
      Result exactReplay =
          attacker.post(action, Map.of("passkey_response", response, "passkey_path", "button"));
      assertNoCodeAndNoServerError(exactReplay);
      attacker.open(oidc.authorizationUrl());
      assertRejected(attacker.passkeySignIn(response, "button"), FAILED);
      assertEquals(after, State.of(alice.userId()));
    }

    @Test
    void a_captured_registration_replayed_by_another_browser_or_user_stores_nothing() {
      String victimName = newUsername("victim");
      HttpLogin victim = accounts.registrationPage(victimName);
      String victimId = realm.userId(victimName);
      String action = victim.registerAction();
      String response = new SoftAuthenticator(realmOrigin()).register(victim.last().options());
      assertNotNull(
          victim.register("Original", response).code(), "the original registration works");
      State victimAfter = State.of(victimId);

      HttpLogin attacker = new HttpLogin(realmOrigin());
      assertNoCodeAndNoServerError(
          attacker.post(action, Map.of("passkey_name", "Replayed", "passkey_response", response)));
      RegistrationTab other = registrationTab();
      State otherBefore = State.of(other.userId);
      assertRejected(other.login.register("Replayed", response), FAILED);
      assertEquals(victimAfter, State.of(victimId));
      assertEquals(otherBefore, State.of(other.userId));
    }

    @Test
    void a_challenge_is_used_up_by_a_failed_attempt_so_the_stale_page_cannot_be_completed() {
      HttpLogin login = accounts.loginPage();
      String staleOptions = login.last().options();
      assertRejected(
          login.passkeySignIn(
              alice
                  .authenticator()
                  .authenticate(staleOptions, alice.credential(), Tweaks.none().corruptSignature()),
              "button"),
          NOT_RECOGNIZED);
      State before = State.of(alice.userId());
      assertRejected(
          login.passkeySignIn(alice.authenticator().authenticate(staleOptions), "button"), FAILED);
      assertEquals(before, State.of(alice.userId()));
      Result fresh =
          login.passkeySignIn(alice.authenticator().authenticate(login.last().options()), "button");
      assertNotNull(fresh.code(), "the page's new challenge still works: " + fresh);
    }

    @Test
    void a_registration_challenge_is_used_up_by_a_failed_attempt() {
      RegistrationTab tab = registrationTab();
      String staleOptions = tab.login.last().options();
      assertRejected(
          tab.login.register(
              "Bad",
              new SoftAuthenticator(realmOrigin())
                  .register(staleOptions, Tweaks.none().origin("https://evil.example"))),
          WRONG_SITE);
      State before = State.of(tab.userId);
      assertRejected(
          tab.login.register("Stale", new SoftAuthenticator(realmOrigin()).register(staleOptions)),
          FAILED);
      assertEquals(before, State.of(tab.userId));
      assertEquals(0, passkeyCount(tab.userId));
    }

    @Test
    void a_lower_counter_than_stored_is_rejected_with_a_counter_regression_event() {
      Account carol = accounts.withPasskey(newUsername("carol"));
      HttpLogin first = accounts.loginPage();
      assertNotNull(
          first
              .passkeySignIn(
                  carol
                      .authenticator()
                      .authenticate(
                          first.last().options(), carol.credential(), Tweaks.none().signCount(10)),
                  "button")
              .code());
      assertEquals(List.of(10L), State.of(carol.userId()).counters());
      State before = State.of(carol.userId());

      HttpLogin cloned = accounts.loginPage();
      assertRejected(
          cloned.passkeySignIn(
              carol
                  .authenticator()
                  .authenticate(
                      cloned.last().options(), carol.credential(), Tweaks.none().signCount(5)),
              "button"),
          FAILED);
      assertEquals(before, State.of(carol.userId()));
      assertTrue(
          eventErrors("LOGIN_ERROR").contains("passkey_counter_regression"),
          "LOGIN_ERROR events: " + realm.events("LOGIN_ERROR"));
      boolean traced = false;
      for (var event : realm.events("LOGIN_ERROR")) {
        if ("passkey_counter_regression".equals(event.path("error").asText())) {
          traced =
              carol.userId().equals(event.path("userId").asText())
                  && !event.at("/details/webauthn_credential_id").asText().isEmpty();
        }
      }
      assertTrue(
          traced,
          "the regression event names the account and the credential: "
              + realm.events("LOGIN_ERROR"));
    }

    @Test
    void counters_that_stay_at_zero_are_accepted_every_time() {
      Account dora =
          accounts.withPasskey(
              newUsername("dora"), new SoftAuthenticator(realmOrigin()).counterStep(0));
      for (int i = 0; i < 2; i++) {
        HttpLogin login = accounts.loginPage();
        Result result =
            login.passkeySignIn(
                dora.authenticator().authenticate(login.last().options()), "button");
        assertNotNull(result.code(), "sign-in " + (i + 1) + ": " + result);
      }
      assertEquals(List.of(0L), State.of(dora.userId()).counters());
    }
  }

  // ---------------------------------------------------------------- 3. Cross-user

  @Nested
  class Cross_user {

    @Test
    void own_credential_presented_with_another_users_handle_is_not_recognized() {
      Account mallory = accounts.withPasskey(newUsername("mallory"));
      rejectedForBoth(
          mallory, Tweaks.none().userHandle(alice.credential().userHandle()), NOT_RECOGNIZED);
    }

    @Test
    void another_users_credential_id_with_own_handle_and_own_key_is_not_recognized() {
      Account mallory = accounts.withPasskey(newUsername("mallory"));
      rejectedForBoth(mallory, Tweaks.none().credentialId(alice.credential().id()), NOT_RECOGNIZED);
    }

    @Test
    void another_users_credential_id_and_handle_signed_with_own_key_is_not_recognized() {
      Account mallory = accounts.withPasskey(newUsername("mallory"));
      rejectedForBoth(
          mallory,
          Tweaks.none()
              .credentialId(alice.credential().id())
              .userHandle(alice.credential().userHandle()),
          NOT_RECOGNIZED);
    }

    @Test
    void a_missing_user_handle_is_not_recognized() {
      rejectedForAlice(Tweaks.none().omitUserHandle(), NOT_RECOGNIZED);
    }

    @Test
    void an_unknown_credential_id_is_not_recognized() {
      rejectedForAlice(Tweaks.none().credentialId(randomBytes(32)), NOT_RECOGNIZED);
    }

    @Test
    void a_user_without_passkeys_named_by_the_handle_is_not_recognized() {
      String noPasskeys = realm.createUser(newUsername("nopasskey"), "pw-nopasskey-1");
      rejectedForAlice(
          Tweaks.none().userHandle(noPasskeys.getBytes(StandardCharsets.UTF_8)), NOT_RECOGNIZED);
      assertEquals(0, passkeyCount(noPasskeys));
    }

    @Test
    void a_deleted_users_passkey_is_not_recognized() {
      Account gone = accounts.withPasskey(newUsername("gone"));
      realm.deleteUser(gone.userId());
      HttpLogin login = accounts.loginPage();
      assertRejected(
          login.passkeySignIn(gone.authenticator().authenticate(login.last().options()), "button"),
          NOT_RECOGNIZED);
    }

    @Test
    void a_disabled_users_passkey_shows_the_disabled_message_and_gives_no_session() {
      Account off = accounts.withPasskey(newUsername("disabled"));
      realm.updateUser(off.userId(), Map.of("enabled", false));
      State before = State.of(off.userId());
      HttpLogin login = accounts.loginPage();
      Result result =
          login.passkeySignIn(off.authenticator().authenticate(login.last().options()), "button");
      assertNoCodeAndNoServerError(result);
      assertTrue(
          result.error().toLowerCase().contains("disabled"),
          "message about the disabled account: " + result);
      assertEquals(before, State.of(off.userId()), "no new session, credentials as they were");
    }

    @Test
    void a_second_passkey_of_the_same_user_keeps_the_first_working() {
      Account erin = accounts.withPasskey(newUsername("erin"));
      realm.updateUser(
          erin.userId(), Map.of("requiredActions", List.of(PasskeyAccounts.REGISTER_ACTION)));
      HttpLogin again = accounts.loginPage();
      again.passwordSignIn(erin.username(), erin.password());
      SoftAuthenticator secondDevice = new SoftAuthenticator(realmOrigin());
      assertNotNull(again.register("Second", secondDevice.register(again.last().options())).code());
      assertEquals(2, passkeyCount(erin.userId()));
      HttpLogin login = accounts.loginPage();
      Result first =
          login.passkeySignIn(erin.authenticator().authenticate(login.last().options()), "button");
      assertEquals(erin.userId(), sub(first));
    }

    @Test
    void
        the_same_credential_id_registered_again_by_the_same_user_is_rejected_and_the_first_stays() {
      Account frank = accounts.withPasskey(newUsername("frank"));
      realm.updateUser(
          frank.userId(), Map.of("requiredActions", List.of(PasskeyAccounts.REGISTER_ACTION)));
      HttpLogin again = accounts.loginPage();
      again.passwordSignIn(frank.username(), frank.password());
      State before = State.of(frank.userId());
      String duplicate =
          withCredentialId(
              new SoftAuthenticator(realmOrigin())
                  .register(withoutExcludeCredentials(again.last().options())),
              frank.credential().id());
      assertRejected(again.register("Duplicate", duplicate), ALREADY_REGISTERED);
      assertEquals(before, State.of(frank.userId()));
      realm.updateUser(frank.userId(), Map.of("requiredActions", List.of()));
      HttpLogin login = accounts.loginPage();
      assertEquals(
          frank.userId(),
          sub(
              login.passkeySignIn(
                  frank.authenticator().authenticate(login.last().options()), "button")));
    }

    @Test
    void another_users_credential_id_registered_by_someone_else_is_rejected() {
      RegistrationTab tab = registrationTab();
      State mine = State.of(tab.userId);
      State alices = State.of(alice.userId());
      String hijack =
          withCredentialId(
              new SoftAuthenticator(realmOrigin()).register(tab.login.last().options()),
              alice.credential().id());
      assertRejected(tab.login.register("Hijack", hijack), ALREADY_REGISTERED);
      assertEquals(mine, State.of(tab.userId));
      assertEquals(alices, State.of(alice.userId()));
    }

    private void rejectedForBoth(Account signer, Tweaks tweaks, String message) {
      State alices = State.of(alice.userId());
      State signers = State.of(signer.userId());
      HttpLogin login = accounts.loginPage();
      assertRejected(
          login.passkeySignIn(
              signer
                  .authenticator()
                  .authenticate(login.last().options(), signer.credential(), tweaks),
              "button"),
          message);
      assertEquals(alices, State.of(alice.userId()));
      assertEquals(signers, State.of(signer.userId()));
    }
  }

  // ---------------------------------------------------------------- 5. Names

  @Nested
  class Names {

    static Stream<Arguments> badNames() {
      return Stream.of(
          Arguments.of(named("empty", ""), NAME_REQUIRED),
          Arguments.of(named("only spaces", "   "), NAME_REQUIRED),
          Arguments.of(named("65 characters", "n".repeat(65)), NAME_TOO_LONG),
          Arguments.of(named("bidi override U+202E", "Laptop \u202Egnp.exe"), NAME_INVALID),
          Arguments.of(named("control character BEL", "Lap\u0007top"), NAME_INVALID),
          Arguments.of(named("line break", "Lap\ntop"), NAME_INVALID));
    }

    @ParameterizedTest(name = "a name that is {0} is refused")
    @MethodSource("badNames")
    void a_bad_name_is_refused_and_nothing_is_stored(String name, String expectedMessage) {
      RegistrationTab tab = registrationTab();
      State before = State.of(tab.userId);
      Result result =
          tab.login.register(
              name, new SoftAuthenticator(realmOrigin()).register(tab.login.last().options()));
      assertRejected(result, expectedMessage);
      assertTrue(result.isRegistrationPage(), result.toString());
      assertEquals(before, State.of(tab.userId));
    }

    static Stream<Arguments> markupNames() {
      return Stream.of(
          Arguments.of(named("an HTML payload", "<img src=x onerror=alert(1)>")),
          Arguments.of(named("an attribute breakout", "\"><script>alert(1)</script>")),
          Arguments.of(named("a FreeMarker expression", "${7*7} <#assign x=1>")),
          Arguments.of(named("Cyrillic, CJK and emoji", "Ключ 鍵 🔑")));
    }

    @ParameterizedTest(name = "{0} is stored verbatim and shown escaped")
    @MethodSource("markupNames")
    void a_name_with_markup_is_stored_verbatim_and_never_rendered_raw(String name) {
      RegistrationTab tab = registrationTab();
      Result rerender = tab.login.register(name, "not json");
      assertRejected(rerender, MALFORMED);
      assertNeverRaw(rerender.html(), name);
      assertTrue(
          rerender.html().contains("value=\"" + escapeHtml(name) + "\""),
          "the typed name comes back, escaped, in the field");
      Result stored =
          tab.login.register(
              name, new SoftAuthenticator(realmOrigin()).register(rerender.options()));
      assertNotNull(stored.code(), stored.toString());
      JsonNode labels = realm.credentials(tab.userId);
      assertTrue(passkeyLabels(labels).contains(name), "stored verbatim: " + labels);
      forgetRegistrationTab();
      HttpLogin loginPage = accounts.loginPage();
      assertNeverRaw(loginPage.last().html(), name);
    }

    private void assertNeverRaw(String html, String name) {
      if (!name.equals(escapeHtml(name))) {
        assertFalse(html.contains(name), "the raw name appears in the page");
        assertFalse(
            html.contains("<img src=x") || html.contains("<script>alert"),
            "raw markup in the page");
      }
    }
  }

  // ---------------------------------------------------------------- 6. Oversize and malformed

  @Nested
  class Oversize_and_malformed {

    static Stream<Arguments> malformedSignIns() {
      return Stream.of(
          Arguments.of(named("not JSON", "this is not json"), MALFORMED),
          Arguments.of(named("a JSON array", "[]"), MALFORMED),
          Arguments.of(named("empty", ""), MALFORMED),
          Arguments.of(named("JSON null", "null"), MALFORMED),
          Arguments.of(
              named("nested 5000 deep", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000)),
              MALFORMED));
    }

    @ParameterizedTest(name = "a passkey response that is {0} gets the malformed message")
    @MethodSource("malformedSignIns")
    void a_malformed_response_gets_a_clear_message(String payload, String expectedMessage) {
      State before = State.of(alice.userId());
      HttpLogin login = accounts.loginPage();
      assertRejected(login.passkeySignIn(payload, "button"), expectedMessage);
      assertEquals(before, State.of(alice.userId()));
    }

    static Stream<Arguments> surgeries() {
      return Stream.of(
          surgery("100 KB of padding", json -> json.put("padding", "x".repeat(100 * 1024))),
          surgery(
              "clientDataJSON not base64url",
              json -> response(json).put("clientDataJSON", "***not base64***")),
          surgery("authenticatorData missing", json -> response(json).remove("authenticatorData")),
          surgery("response missing", json -> json.remove("response")),
          surgery("id and rawId differ", json -> json.put("id", randomBase64Url(32))),
          surgery(
              "authenticatorData truncated to 10 bytes",
              json -> response(json).put("authenticatorData", randomBase64Url(10))),
          surgery(
              "extension data declaring a 2^63-byte CBOR map",
              json -> response(json).put("authenticatorData", hugeExtensionAuthData())));
    }

    @ParameterizedTest(name = "{0} gets the malformed message")
    @MethodSource("surgeries")
    void an_edited_assertion_gets_a_clear_message(java.util.function.Consumer<ObjectNode> edit) {
      State before = State.of(alice.userId());
      HttpLogin login = accounts.loginPage();
      ObjectNode json = parse(alice.authenticator().authenticate(login.last().options()));
      edit.accept(json);
      assertRejected(login.passkeySignIn(json.toString(), "button"), MALFORMED);
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void duplicate_keys_in_the_response_are_rejected() {
      State before = State.of(alice.userId());
      HttpLogin login = accounts.loginPage();
      String honest = alice.authenticator().authenticate(login.last().options());
      String duplicated = honest.replaceFirst("\\{", "{\"type\":\"public-key\",");
      assertRejected(login.passkeySignIn(duplicated, "button"), MALFORMED);
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void an_attestation_object_declaring_a_huge_CBOR_string_is_rejected_at_registration() {
      RegistrationTab tab = registrationTab();
      State before = State.of(tab.userId);
      ObjectNode json =
          parse(new SoftAuthenticator(realmOrigin()).register(tab.login.last().options()));
      byte[] huge = {
        (byte) 0xA3,
        0x63,
        'f',
        'm',
        't',
        0x7B,
        0x7F,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF
      };
      response(json).put("attestationObject", SoftAuthenticator.encode(huge));
      assertRejected(tab.login.register("Huge", json.toString()), MALFORMED);
      assertEquals(before, State.of(tab.userId));
    }

    @Test
    void a_100_KB_registration_response_gets_a_clear_message() {
      RegistrationTab tab = registrationTab();
      State before = State.of(tab.userId);
      ObjectNode json =
          parse(new SoftAuthenticator(realmOrigin()).register(tab.login.last().options()));
      json.put("padding", "x".repeat(100 * 1024));
      assertRejected(tab.login.register("Big", json.toString()), MALFORMED);
      assertEquals(before, State.of(tab.userId));
    }
  }

  // ---------------------------------------------------------------- 7. Enumeration

  @Nested
  class Enumeration {

    @Test
    void unknown_credential_unknown_user_foreign_credential_and_bad_signature_look_the_same() {
      Account mallory = accounts.withPasskey(newUsername("enum"));
      State before = State.of(alice.userId());
      List<Tweaks> attempts =
          List.of(
              Tweaks.none().credentialId(randomBytes(32)),
              Tweaks.none().userHandle("no-such-user".getBytes(StandardCharsets.UTF_8)),
              Tweaks.none().userHandle(alice.credential().userHandle()),
              Tweaks.none().corruptSignature(),
              Tweaks.none().omitUserHandle());
      List<String> seen = new ArrayList<>();
      for (Tweaks tweaks : attempts) {
        HttpLogin login = accounts.loginPage();
        Result result =
            login.passkeySignIn(
                mallory
                    .authenticator()
                    .authenticate(login.last().options(), mallory.credential(), tweaks),
                "button");
        assertNoCodeAndNoServerError(result);
        seen.add(result.status() + " " + result.error() + " login-page=" + result.isLoginPage());
      }
      assertEquals(1, seen.stream().distinct().count(), "one indistinguishable answer: " + seen);
      assertEquals("200 " + NOT_RECOGNIZED + " login-page=true", seen.get(0));
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void the_signal_api_hint_names_only_credential_ids_the_realm_does_not_know() {
      HttpLogin login = accounts.loginPage();
      byte[] unknown = randomBytes(32);
      Result unknownId =
          login.passkeySignIn(
              alice
                  .authenticator()
                  .authenticate(
                      login.last().options(),
                      alice.credential(),
                      Tweaks.none().credentialId(unknown)),
              "button");
      assertEquals(SoftAuthenticator.encode(unknown), unknownCredentialHint(unknownId));
      HttpLogin other = accounts.loginPage();
      Result badSignature =
          other.passkeySignIn(
              alice
                  .authenticator()
                  .authenticate(
                      other.last().options(), alice.credential(), Tweaks.none().corruptSignature()),
              "button");
      assertEquals("", unknownCredentialHint(badSignature));
      HttpLogin madeUp = accounts.loginPage();
      Result notThisPagesChallenge =
          madeUp.passkeySignIn(
              alice
                  .authenticator()
                  .authenticate(
                      madeUp.last().options(),
                      alice.credential(),
                      Tweaks.none()
                          .credentialId(randomBytes(32))
                          .challenge(SoftAuthenticator.encode(randomBytes(32)))),
              "button");
      assertEquals(
          "",
          unknownCredentialHint(notThisPagesChallenge),
          "no hint for a response that did not answer the challenge this page issued (#20 item 1)");
    }
  }

  // ---------------------------------------------------------------- 8. Disabled users and many
  // failures

  @Nested
  class Many_failures {

    @Test
    void twenty_bad_assertions_in_a_row_change_nothing_and_the_next_good_one_works() {
      State before = State.of(alice.userId());
      HttpLogin login = accounts.loginPage();
      for (int i = 0; i < 20; i++) {
        assertRejected(
            login.passkeySignIn(
                alice
                    .authenticator()
                    .authenticate(
                        login.last().options(),
                        alice.credential(),
                        Tweaks.none().corruptSignature()),
                "button"),
            NOT_RECOGNIZED);
      }
      assertEquals(before, State.of(alice.userId()));
      Result good =
          login.passkeySignIn(alice.authenticator().authenticate(login.last().options()), "button");
      assertEquals(alice.userId(), sub(good));
    }

    @Test
    void a_disabled_user_cannot_sign_in_with_the_password_either() {
      String userId = realm.createUser(newUsername("offpw"), "offpw-password-1");
      realm.updateUser(userId, Map.of("enabled", false));
      HttpLogin login = accounts.loginPage();
      Result result = login.passwordSignIn(lastUsername, "offpw-password-1");
      assertNoCodeAndNoServerError(result);
      assertTrue(result.error().toLowerCase().contains("disabled"), result.toString());
      assertEquals(0, realm.sessions(userId).size());
    }
  }

  // ---------------------------------------------------------------- 9. Session edges

  @Nested
  class Session_edges {

    @Test
    void a_passkey_response_posted_without_ever_loading_the_page_gets_no_code() {
      HttpLogin page = accounts.loginPage();
      String action = page.passkeyAction();
      State before = State.of(alice.userId());
      HttpLogin noCookies = new HttpLogin(realmOrigin());
      Result result =
          noCookies.post(
              action,
              Map.of(
                  "passkey_response",
                  alice.authenticator().authenticate(page.last().options()),
                  "passkey_path",
                  "button"));
      assertNoCodeAndNoServerError(result);
      assertTrue(START_AGAIN.matcher(result.error()).find(), "a start-again message: " + result);
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void an_expired_auth_session_gets_a_start_again_message_and_no_code() {
      HttpLogin login = accounts.loginPage();
      String response = alice.authenticator().authenticate(login.last().options());
      login.forgetCookie("AUTH_SESSION_ID");
      assertTrue(
          login.cookies().stream().noneMatch(c -> c.getName().equals("AUTH_SESSION_ID")),
          "cookie gone");
      State before = State.of(alice.userId());
      Result result = login.passkeySignIn(response, "button");
      assertNoCodeAndNoServerError(result);
      assertTrue(START_AGAIN.matcher(result.error()).find(), "a start-again message: " + result);
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void a_response_for_another_tabs_challenge_is_rejected() {
      HttpLogin browser = accounts.loginPage();
      String firstTabOptions = browser.last().options();
      browser.open(oidc.authorizationUrl());
      assertNotEquals(
          parse(firstTabOptions).path("challenge"),
          parse(browser.last().options()).path("challenge"));
      State before = State.of(alice.userId());
      assertRejected(
          browser.passkeySignIn(alice.authenticator().authenticate(firstTabOptions), "button"),
          FAILED);
      assertEquals(before, State.of(alice.userId()));
    }

    @Test
    void a_cancelled_dialog_shows_the_cancelled_message_and_a_fresh_challenge() {
      HttpLogin login = accounts.loginPage();
      String challenge = login.last().challenge();
      Result result = login.post(login.passkeyAction(), Map.of("passkey_error", "cancelled"));
      assertRejected(result, CANCELLED);
      assertNotEquals(challenge, result.challenge());
    }

    @Test
    void an_invented_client_error_code_gets_the_generic_message_and_is_not_echoed() {
      HttpLogin login = accounts.loginPage();
      String invented = "<script>alert(1)</script>\r\nFAKE LOG LINE";
      Result result = login.post(login.passkeyAction(), Map.of("passkey_error", invented));
      assertRejected(result, FAILED);
      assertFalse(result.html().contains("<script>alert(1)"), "not echoed");
    }

    @Test
    void the_previous_challenge_of_a_tab_is_dead_after_a_password_error() {
      HttpLogin login = accounts.loginPage();
      String before = login.last().options();
      login.passwordSignIn("alice", "wrong-password");
      State state = State.of(alice.userId());
      assertRejected(
          login.passkeySignIn(alice.authenticator().authenticate(before), "button"), FAILED);
      assertEquals(state, State.of(alice.userId()));
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The registration page of a user with no passkey yet; failures keep it there, so cases share it.
   */
  record RegistrationTab(HttpLogin login, String userId) {}

  private static RegistrationTab registrationTab;
  private static String lastUsername;

  static RegistrationTab registrationTab() {
    if (registrationTab == null || !registrationTab.login().last().isRegistrationPage()) {
      String username = newUsername("registrant");
      HttpLogin login = accounts.registrationPage(username);
      registrationTab = new RegistrationTab(login, realm.userId(username));
    }
    return registrationTab;
  }

  static void forgetRegistrationTab() {
    registrationTab = null;
  }

  static String newUsername(String prefix) {
    lastUsername = prefix + "-" + USERS.incrementAndGet();
    return lastUsername;
  }

  static String realmOrigin() {
    return realm.server().baseUrl();
  }

  /**
   * What a case must not change: the user's credentials (id, type, label, counter) and session
   * count.
   */
  record State(List<String> credentials, List<Long> counters, int sessions) {
    static State of(String userId) {
      List<String> credentials = new ArrayList<>();
      List<Long> counters = new ArrayList<>();
      for (JsonNode c : realm.credentials(userId)) {
        credentials.add(
            c.path("id").asText()
                + "|"
                + c.path("type").asText()
                + "|"
                + c.path("userLabel").asText());
        if (c.path("type").asText().startsWith("webauthn")) {
          counters.add(parse(c.path("credentialData").asText()).path("counter").asLong());
        }
      }
      return new State(credentials, counters, realm.sessions(userId).size());
    }
  }

  static void assertRejected(Result result, String expectedMessage) {
    assertNoCodeAndNoServerError(result);
    assertEquals(expectedMessage, result.error(), "message on " + result);
  }

  static void assertNoCodeAndNoServerError(Result result) {
    assertTrue(result.status() < 500, "no server error: " + result);
    assertFalse(result.redirectedToClient(), "no redirect to the client: " + result);
    assertNull(result.code(), "no code: " + result);
    assertFalse(
        STACK_FRAME.matcher(result.html()).find() || result.html().contains("Exception"),
        "no stack trace in the page: " + result);
  }

  static int passkeyCount(String userId) {
    int count = 0;
    for (JsonNode c : realm.credentials(userId)) {
      count += c.path("type").asText().startsWith("webauthn") ? 1 : 0;
    }
    return count;
  }

  static List<String> passkeyLabels(JsonNode credentials) {
    List<String> labels = new ArrayList<>();
    credentials.forEach(
        c -> {
          if (c.path("type").asText().startsWith("webauthn")) {
            labels.add(c.path("userLabel").asText());
          }
        });
    return labels;
  }

  static List<String> eventErrors(String type) {
    List<String> errors = new ArrayList<>();
    realm.events(type).forEach(e -> errors.add(e.path("error").asText()));
    return errors;
  }

  static String sub(Result result) {
    assertNotNull(result.code(), "expected a code: " + result);
    return Oidc.claims(oidc.exchange(result.code()).get("id_token").asText()).get("sub").asText();
  }

  static void rejectedForAlice(Tweaks tweaks, String message) {
    State before = State.of(alice.userId());
    HttpLogin login = accounts.loginPage();
    assertRejected(
        login.passkeySignIn(
            alice.authenticator().authenticate(login.last().options(), alice.credential(), tweaks),
            "button"),
        message);
    assertEquals(before, State.of(alice.userId()));
  }

  static String unknownCredentialHint(Result result) {
    java.util.regex.Matcher m =
        Pattern.compile("data-unknown-credential=\"([^\"]*)\"").matcher(result.html());
    assertTrue(m.find(), "no data-unknown-credential on " + result);
    return m.group(1);
  }

  static Arguments assertion(String name, Tweaks tweaks, String message) {
    return Arguments.of(named(name, tweaks), message);
  }

  static Arguments registration(String name, Tweaks tweaks, String message) {
    return Arguments.of(named(name, tweaks), message);
  }

  static Arguments surgery(String name, java.util.function.Consumer<ObjectNode> edit) {
    return Arguments.of(named(name, edit));
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) AdminClient.JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode response(ObjectNode credential) {
    return (ObjectNode) credential.get("response");
  }

  /**
   * Creation options built from a login page's request options: for a registration-shaped payload
   * at sign-in.
   */
  static String creationOptionsFor(Result loginPage) {
    JsonNode request = parse(loginPage.options());
    ObjectNode creation = AdminClient.JSON.createObjectNode();
    creation.putObject("rp").put("id", request.path("rpId").asText()).put("name", "x");
    creation
        .putObject("user")
        .put("id", SoftAuthenticator.encode(alice.credential().userHandle()))
        .put("name", "alice")
        .put("displayName", "alice");
    creation.put("challenge", request.path("challenge").asText());
    creation.putArray("pubKeyCredParams").addObject().put("type", "public-key").put("alg", -7);
    return creation.toString();
  }

  /**
   * Request options built from a registration page's creation options: for an assertion at
   * registration.
   */
  static String requestOptionsFor(Result registrationPage) {
    JsonNode creation = parse(registrationPage.options());
    ObjectNode request = AdminClient.JSON.createObjectNode();
    request.put("rpId", creation.path("rp").path("id").asText());
    request.put("challenge", creation.path("challenge").asText());
    return request.toString();
  }

  static String withoutExcludeCredentials(String creationOptions) {
    ObjectNode options = parse(creationOptions);
    options.remove("excludeCredentials");
    return options.toString();
  }

  /**
   * The registration response with its credential ID swapped for {@code id} (same length), in id,
   * rawId and the attested credential data. With attestation "none" nothing signs that data.
   */
  static String withCredentialId(String registrationJson, byte[] id) {
    ObjectNode json = parse(registrationJson);
    byte[] oldId = SoftAuthenticator.decode(json.path("rawId").asText());
    assertEquals(oldId.length, id.length, "same-length IDs only");
    for (String field : List.of("attestationObject", "authenticatorData")) {
      byte[] bytes = SoftAuthenticator.decode(response(json).path(field).asText());
      int at = indexOf(bytes, oldId);
      assertTrue(at >= 0, "credential ID inside " + field);
      System.arraycopy(id, 0, bytes, at, id.length);
      response(json).put(field, SoftAuthenticator.encode(bytes));
    }
    json.put("id", SoftAuthenticator.encode(id)).put("rawId", SoftAuthenticator.encode(id));
    return json.toString();
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Authenticator data for localhost with UP, UV and ED set and an extension map declaring 2^63
   * entries.
   */
  static String hugeExtensionAuthData() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(
          MessageDigest.getInstance("SHA-256")
              .digest("localhost".getBytes(StandardCharsets.UTF_8)));
      out.write(0x01 | 0x04 | 0x08 | 0x10 | 0x80);
      out.writeBytes(new byte[] {0, 0, 0, 50});
      out.writeBytes(
          new byte[] {
            (byte) 0xBB,
            0x7F,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF
          });
      return SoftAuthenticator.encode(out.toByteArray());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static String randomBase64Url(int length) {
    return SoftAuthenticator.encode(randomBytes(length));
  }

  static String escapeHtml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
