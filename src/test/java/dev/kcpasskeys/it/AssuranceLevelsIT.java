package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Phishing-resistant ACR values (issue 18, OpenID Enterprise Authentication Profile): {@code
 * acr_values=phr} asks for a passkey, {@code phrh} for a device-bound one. A sign-in that cannot
 * meet them ends in {@code error=unmet_authentication_requirements}, never in a token with a lower
 * {@code acr}; the {@code acr} claim says what was met. Also: a passkey after the password.
 */
@ExtendWith(KeycloakExtension.class)
class AssuranceLevelsIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  static final Tweaks DEVICE_BOUND = Tweaks.none().backupEligible(false).backedUp(false);
  private static final Properties ENGLISH = LanguagesIT.bundle("en");

  private final PasskeyAccounts accounts = new PasskeyAccounts(realm);
  private final Oidc oidc = new Oidc(realm);

  @Test
  void enablingMapsPhrAndPhrhAndLeavesAnAdminsOwnLevelsAlone() throws Exception {
    assertEquals(
        Map.of("phr", 2, "phrh", 3), loaMap(), "enabling added both to the realm's acr.loa.map");
    try {
      realm.settings(Map.of("enabled", false));
      assertEquals(Map.of(), loaMap(), "disabling removed what enabling added");
      setLoaMap("{\"gold\":5,\"phr\":7}");
      realm.settings(Map.of("enabled", true));
      assertEquals(
          Map.of("gold", 5, "phr", 7, "phrh", 8),
          loaMap(),
          "the admin's phr is kept; phrh above it");
      realm.settings(Map.of("enabled", false));
      assertEquals(Map.of("gold", 5, "phr", 7), loaMap(), "only what enabling added goes");
      // An admin's own value at level 2 (a step-up flow of theirs) keeps it: no other acr value
      // may mean a passkey.
      setLoaMap("{\"gold\":2}");
      realm.settings(Map.of("enabled", true));
      assertEquals(Map.of("gold", 2, "phr", 3, "phrh", 4), loaMap());
      realm.settings(Map.of("enabled", false));
      assertEquals(Map.of("gold", 2), loaMap());
    } finally {
      setLoaMap(null);
      realm.settings(Map.of("enabled", true));
    }
    realm.grantApiScopeToTestClient();
  }

  @Test
  void phrhIsMetByADeviceBoundPasskeyAndTheAcrClaimSaysSo() {
    PasskeyAccounts.Account dee = deviceBoundAccount("dee");
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("acr_values", "phrh")));
    assertFalse(login.last().html().contains("id=\"password\""), "no password form for phrh");
    HttpLogin.Result done =
        login.passkeySignIn(
            dee.authenticator().authenticate(login.last().options(), DEVICE_BOUND), "button");
    assertEquals("phrh", idToken(done).get("acr").asText());
  }

  @Test
  void phrhWithOnlySyncedPasskeysEndsInTheStandardErrorNotALowerAcr() {
    PasskeyAccounts.Account syd = accounts.withPasskey("syd"); // synced
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("acr_values", "phrh", "state", "s-1")));
    HttpLogin.Result refused =
        login.passkeySignIn(syd.authenticator().authenticate(login.last().options()), "button");
    assertNull(refused.code(), "no code, so no token with a lower acr");
    assertEquals(
        "unmet_authentication_requirements",
        Oidc.paramOf(refused.location(), "error"),
        refused.toString());
    assertEquals("s-1", Oidc.paramOf(refused.location(), "state"));
    assertEquals(
        "unmet_authentication_requirements",
        realm.events("LOGIN_ERROR", syd.userId()).get(0).get("error").asText());
  }

  @Test
  void phrhWithASyncedPasskeyLetsAUserWhoHasADeviceBoundOneTryAgain() {
    PasskeyAccounts.Account both = deviceBoundAccount("both");
    SoftAuthenticator synced = new SoftAuthenticator(accounts.origin());
    new dev.kcpasskeys.it.support.ApiClient(
            realm,
            dev.kcpasskeys.it.support.ApiClient.passkeyToken(
                realm, both.authenticator(), DEVICE_BOUND, "openid passkeys"))
        .register(synced, "Synced one");
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("acr_values", "phrh")));
    HttpLogin.Result again =
        login.passkeySignIn(synced.authenticate(login.last().options()), "button");
    assertNull(again.code());
    assertTrue(again.isLoginPage(), "the sign-in page again: " + again);
    assertEquals(ENGLISH.getProperty("passkeyHardwareRequired"), again.error());
    HttpLogin.Result done =
        login.passkeySignIn(
            both.authenticator().authenticate(login.last().options(), DEVICE_BOUND), "button");
    assertEquals("phrh", idToken(done).get("acr").asText());
  }

  @Test
  void phrTakesAnyPasskeyAndNoPassword() {
    PasskeyAccounts.Account pat = accounts.withPasskey("pat");
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("acr_values", "phr")));
    assertTrue(login.last().html().contains("id=\"passkey-required-intro\""));
    assertFalse(login.last().html().contains("id=\"password\""));
    // A password posted anyway (a crafted form) does not sign in: the passkey is asked for.
    HttpLogin.Result password =
        login.post(
            login.last().formAction("passkey-form").orElseThrow(),
            Map.of("username", "pat", "password", pat.password()));
    assertNull(password.code(), "a password does not meet phr");
    assertTrue(password.html().contains("id=\"passkey-step-up-intro\""), password.toString());
    HttpLogin.Result done =
        login.passkeySignIn(pat.authenticator().authenticate(login.last().options()), "button");
    JsonNode claims = idToken(done);
    assertEquals("phr", claims.get("acr").asText());
    assertTrue(claims.get("amr").toString().contains("swk"), claims.toString());
  }

  @Test
  void aPasswordSessionStepsUpToAPasskeyWhenAnAppAsksForPhr() {
    PasskeyAccounts.Account sam = accounts.withPasskey("sam");
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result password = login.passwordSignIn("sam", sam.password());
    assertEquals("1", idToken(password).get("acr").asText(), "a password sign-in");

    login.open(oidc.authorizationUrl(Map.of("acr_values", "phr")));
    assertNull(login.last().code(), "the SSO session alone does not meet phr");
    assertTrue(
        login.last().html().contains("id=\"passkey-step-up-intro\""), login.last().toString());
    HttpLogin.Result done =
        login.passkeySignIn(sam.authenticator().authenticate(login.last().options()), "button");
    assertEquals("phr", idToken(done).get("acr").asText());
  }

  @Test
  void anEssentialAcrClaimWorksTheSameWay() {
    PasskeyAccounts.Account ess = deviceBoundAccount("ess");
    String claims = "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"phrh\"]}}}";
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("claims", claims)));
    assertFalse(login.last().html().contains("id=\"password\""));
    HttpLogin.Result done =
        login.passkeySignIn(
            ess.authenticator().authenticate(login.last().options(), DEVICE_BOUND), "button");
    assertEquals("phrh", idToken(done).get("acr").asText());

    PasskeyAccounts.Account syn = accounts.withPasskey("syn");
    HttpLogin other = new HttpLogin(accounts.origin());
    other.open(oidc.authorizationUrl(Map.of("claims", claims)));
    HttpLogin.Result refused =
        other.passkeySignIn(syn.authenticator().authenticate(other.last().options()), "button");
    assertEquals("unmet_authentication_requirements", Oidc.paramOf(refused.location(), "error"));
  }

  @Test
  void goingBackFromThePasskeyPageIsTheStandardErrorToo() {
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("acr_values", "phr")));
    HttpLogin.Result back =
        login.post(
            login.last().formAction("passkey-required-cancel-form").orElseThrow(),
            Map.of("passkey_required_cancel", "true"));
    assertNull(back.code());
    assertEquals("unmet_authentication_requirements", Oidc.paramOf(back.location(), "error"));
  }

  @Test
  void withoutAnAcrRequestAPasskeySignInSaysHowStrongItWas() {
    PasskeyAccounts.Account dot = deviceBoundAccount("dot");
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result done =
        login.passkeySignIn(
            dot.authenticator().authenticate(login.last().options(), DEVICE_BOUND), "button");
    assertEquals("phrh", idToken(done).get("acr").asText());
  }

  @Test
  void aPasskeyAfterThePasswordWhenTheAdminTurnsItOn() {
    PasskeyAccounts.Account two = accounts.withPasskey("two");
    realm.createUser("nopk", PasskeyAccounts.password("nopk"));
    realm.settings(Map.of("passkey_after_password", true));
    try {
      HttpLogin login = new HttpLogin(accounts.origin());
      login.open(oidc.authorizationUrl());
      HttpLogin.Result password = login.passwordSignIn("two", two.password());
      assertNull(password.code(), "the password alone is not enough for a user with a passkey");
      assertTrue(password.html().contains("id=\"passkey-step-up-intro\""), password.toString());
      HttpLogin.Result done =
          login.passkeySignIn(two.authenticator().authenticate(login.last().options()), "button");
      JsonNode claims = idToken(done);
      assertTrue(claims.get("amr").toString().contains("pwd"), claims.toString());
      assertTrue(claims.get("amr").toString().contains("swk"), claims.toString());
      assertEquals(
          "after-password",
          realm.events("LOGIN", two.userId()).get(0).at("/details/passkey_path").asText());

      HttpLogin plain = new HttpLogin(accounts.origin());
      plain.open(oidc.authorizationUrl());
      assertNotNull(
          plain.passwordSignIn("nopk", PasskeyAccounts.password("nopk")).code(),
          "a user without a passkey signs in with the password alone");
    } finally {
      realm.settings(Map.of("passkey_after_password", false));
    }
    HttpLogin off = new HttpLogin(accounts.origin());
    off.open(oidc.authorizationUrl());
    assertNotNull(off.passwordSignIn("two", two.password()).code(), "off (default): as before");
  }

  /** A user whose only passkey is device-bound (BE=0), registered during a password sign-in. */
  private PasskeyAccounts.Account deviceBoundAccount(String username) {
    HttpLogin login = accounts.registrationPage(username);
    SoftAuthenticator key = new SoftAuthenticator(accounts.origin());
    HttpLogin.Result done =
        login.register(username + "'s key", key.register(login.last().options(), DEVICE_BOUND));
    assertNotNull(done.code(), done.toString());
    return new PasskeyAccounts.Account(
        username, PasskeyAccounts.password(username), realm.userId(username), key);
  }

  private JsonNode idToken(HttpLogin.Result done) {
    assertNotNull(done.code(), "signed in: " + done);
    return Oidc.claims(oidc.exchange(done.code()).get("id_token").asText());
  }

  private Map<String, Object> loaMap() throws Exception {
    String json =
        realm
            .admin()
            .ok(realm.admin().get("/realms/" + realm.name()))
            .at("/attributes/acr.loa.map")
            .asText("");
    return json.isEmpty() ? Map.of() : AdminClient.JSON.readValue(json, Map.class);
  }

  private void setLoaMap(String json) {
    realm.admin().ok(realm.admin().put("/realms/" + realm.name(), attributes(json)));
  }

  private static ObjectNode attributes(String loaMap) {
    ObjectNode rep = AdminClient.JSON.createObjectNode();
    ObjectNode attributes = rep.putObject("attributes");
    if (loaMap == null) {
      attributes.put("acr.loa.map", "");
    } else {
      attributes.put("acr.loa.map", loaMap);
    }
    return rep;
  }
}
