package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.HttpLogin.Result;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.ServerMetrics;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Automatic passkey upgrades over HTTP, with a password manager (SoftAuthenticator) that answers a
 * conditional create as the spec lets it: UP=0 and UV=0. Only the upgrade's own challenge accepts
 * that.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyUpgradeHttpIT {

  static final String UP_REQUIRED =
      "Your device did not confirm that you were there. Try again and confirm on your device when it asks.";
  static final String FAILED = "Something went wrong with the passkey. Try again.";

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private final Oidc oidc = new Oidc(realm);
  private final ServerMetrics metrics = new ServerMetrics(realm);

  @BeforeEach
  void nudgeOn() {
    realm.settings(Map.of("nudge_enabled", true, "upgrade_enabled", true));
    // Our passkey metadata is an unmanaged user attribute: let the admin API show it to these
    // tests.
    realm.editUserProfile(profile -> profile.put("unmanagedAttributePolicy", "ADMIN_VIEW"));
  }

  @AfterEach
  void nudgeOff() {
    realm.settings(Map.of("nudge_enabled", false, "upgrade_enabled", true));
  }

  @Test
  void aPasskeyMadeWithoutUserPresenceForTheUpgradeChallengeIsStoredAndSkipsTheNudge() {
    String userId = realm.createUser("uma", "uma-password");
    long tried = upgrades("tried");
    long succeeded = upgrades("succeeded");
    long shown = metrics.sum("keycloak_passkeys_nudges_total", "outcome=\"shown\"");
    HttpLogin login = upgradePage("uma");
    String options = login.last().upgradeOptions();
    assertTrue(options.contains("\"userVerification\":\"preferred\""), options);
    assertTrue(
        options.contains("\"name\":\"uma\""),
        "the account name the password was saved under: " + options);
    assertFalse(options.contains(login.last().challenge()), "a challenge of its own");
    SoftAuthenticator passwordManager = new SoftAuthenticator(realm.server().baseUrl());

    Result done =
        login.post(
            login.registerAction(),
            Map.of(
                "passkey_upgrade",
                "created",
                "passkey_response",
                passwordManager.registerWithoutDialog(options)));

    assertNotNull(done.code(), "straight back to the app, no nudge: " + done);
    JsonNode passkey = realm.onlyPasskey(userId);
    assertEquals(
        "Chrome on Linux", passkey.get("userLabel").asText(), "named like a kept suggestion");
    String metadata = metadataOf(userId, passkey.get("id").asText());
    assertTrue(metadata.contains("\"src\":\"upgrade\""), metadata);
    assertTrue(
        metadata.contains("\"uv\":false"),
        "made without user verification, and says so: " + metadata);
    JsonNode event = realm.events("UPDATE_CREDENTIAL", userId).get(0);
    assertEquals("upgrade", event.at("/details/passkey_source").asText(), event.toString());
    assertEquals("false", event.at("/details/user_verified").asText(), event.toString());
    assertEquals(tried + 1, upgrades("tried"));
    assertEquals(succeeded + 1, upgrades("succeeded"));
    assertEquals(
        shown,
        metrics.sum("keycloak_passkeys_nudges_total", "outcome=\"shown\""),
        "the nudge was skipped");
    assertTrue(metrics.sum("keycloak_passkeys_registrations_total", "source=\"upgrade\"") >= 1);

    // It signs in, with UV as the realm requires, but UV never initialized is not a second factor
    // (no mfa).
    HttpLogin next = new HttpLogin(realm.server().baseUrl());
    Result page = next.open(oidc.authorizationUrl());
    Result signedIn = next.passkeySignIn(passwordManager.authenticate(page.options()), "button");
    assertNotNull(signedIn.code(), signedIn.toString());
    List<String> amr = amr(signedIn.code());
    assertTrue(amr.contains("swk") && amr.contains("user"), amr.toString());
    assertFalse(
        amr.contains("mfa"), "WebAuthn L3 uvInitialized: the UV flag must not count yet: " + amr);
  }

  @Test
  void
      aResponseWithoutUserPresenceToTheOrdinaryChallengeIsRefusedWithAClearMessageAndStoresNothing() {
    String userId = realm.createUser("vic", "vic-password");
    HttpLogin login = upgradePage("vic");
    String attributesBefore = attributesOf(userId);
    SoftAuthenticator passwordManager = new SoftAuthenticator(realm.server().baseUrl());

    Result refused =
        login.register(
            "Vic's passkey", passwordManager.registerWithoutDialog(login.last().options()));

    assertEquals(UP_REQUIRED, refused.error(), refused.toString());
    assertTrue(refused.isRegistrationPage(), "the nudge again, ready for another try: " + refused);
    assertNull(refused.code());
    assertEquals(0, passkeyCount(userId));
    assertEquals(attributesBefore, attributesOf(userId), "no metadata, no credential-id index");
    assertEquals(
        "USER_PRESENCE",
        realm.events("UPDATE_CREDENTIAL_ERROR", userId).get(0).at("/details/reason").asText());
  }

  @Test
  void aResponseToTheOrdinaryChallengeCannotPassAsAnUpgrade() {
    String userId = realm.createUser("wes", "wes-password");
    HttpLogin login = upgradePage("wes");
    long fallback = upgrades("fallback");
    SoftAuthenticator passwordManager = new SoftAuthenticator(realm.server().baseUrl());

    Result result =
        login.post(
            login.registerAction(),
            Map.of(
                "passkey_upgrade",
                "created",
                "passkey_response",
                passwordManager.registerWithoutDialog(login.last().options())));

    assertTrue(result.isRegistrationPage(), "falls back to the nudge: " + result);
    assertTrue(result.upgradeOptions().isEmpty(), "the attempt is over: " + result);
    assertEquals(0, passkeyCount(userId));
    assertEquals(fallback + 1, upgrades("fallback"));
    assertEquals(
        "CHALLENGE_MISMATCH",
        realm.events("UPDATE_CREDENTIAL_ERROR", userId).get(0).at("/details/reason").asText());
  }

  @Test
  void theUpgradeChallengeIsGoneOnceTheAttemptEnded() {
    String userId = realm.createUser("xia", "xia-password");
    HttpLogin login = upgradePage("xia");
    String upgradeOptions = login.last().upgradeOptions();
    SoftAuthenticator passwordManager = new SoftAuthenticator(realm.server().baseUrl());
    Result nudge = login.post(login.registerAction(), Map.of("passkey_upgrade", "fallback"));
    assertTrue(nudge.isRegistrationPage() && nudge.upgradeOptions().isEmpty(), nudge.toString());

    // Too late: the upgrade's challenge was discarded, and the page's ordinary one requires UP.
    Result late =
        login.post(
            login.registerAction(),
            Map.of(
                "passkey_upgrade",
                "created",
                "passkey_name",
                "Late",
                "passkey_response",
                passwordManager.registerWithoutDialog(upgradeOptions)));
    assertEquals(FAILED, late.error(), late.toString());
    assertEquals(0, passkeyCount(userId));
    assertEquals(
        "CHALLENGE_MISMATCH",
        realm.events("UPDATE_CREDENTIAL_ERROR", userId).get(0).at("/details/reason").asText());
  }

  @Test
  void withoutANudgeAFailedUpgradeLetsTheSignInGoOn() {
    realm.settings(Map.of("nudge_enabled", false));
    String userId = realm.createUser("yan", "yan-password");
    HttpLogin login = upgradePage("yan");
    assertFalse(login.last().html().contains("id=\"passkey-not-now\""), "no nudge buttons");
    long fallback = upgrades("fallback");
    Result done = login.post(login.registerAction(), Map.of("passkey_upgrade", "fallback"));
    assertNotNull(done.code(), done.toString());
    assertEquals(0, passkeyCount(userId));
    assertEquals(fallback + 1, upgrades("fallback"));
  }

  @Test
  void theSettingRoundTripsThroughTheSettingsApi() {
    AdminClient admin = realm.admin();
    String path = "/realms/" + realm.name() + "/passkeys/v1/settings";
    assertTrue(admin.ok(admin.get(path)).get("upgrade_enabled").asBoolean(), "on by default");
    assertFalse(
        admin
            .ok(admin.put(path, Map.of("upgrade_enabled", false)))
            .get("upgrade_enabled")
            .asBoolean());
    assertFalse(admin.ok(admin.get(path)).get("upgrade_enabled").asBoolean());
    AdminClient.Response garbled = admin.put(path, Map.of("upgrade_enabled", "maybe"));
    assertEquals(400, garbled.status(), garbled.body());
    assertEquals("invalid_request", garbled.json().get("error").asText());
    assertFalse(admin.ok(admin.get(path)).get("upgrade_enabled").asBoolean(), "unchanged");
    assertEquals(
        "false",
        admin
            .ok(admin.get("/realms/" + realm.name()))
            .at("/attributes/passkeys.upgrade.enabled")
            .asText());
  }

  /** A password sign-in from a browser whose sign-in page reported conditionalCreate. */
  private HttpLogin upgradePage(String username) {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    Result page =
        login.passwordSignIn(
            username, username + "-password", Map.of("passkey_upgrade_capable", "true"));
    assertTrue(page.isRegistrationPage(), "expected the upgrade page: " + page);
    assertFalse(page.upgradeOptions().isEmpty(), "the page tries an upgrade first");
    return login;
  }

  private long upgrades(String outcome) {
    return metrics.sum("keycloak_passkeys_upgrades_total", "outcome=\"" + outcome + "\"");
  }

  private long passkeyCount(String userId) {
    return realm.passkeys(userId).size();
  }

  private String attributesOf(String userId) {
    return realm.adminGet("/users/" + userId).path("attributes").toString();
  }

  private String metadataOf(String userId, String credentialId) {
    return realm
        .adminGet("/users/" + userId)
        .at("/attributes/passkeys.meta." + credentialId + "/0")
        .asText();
  }

  private List<String> amr(String code) {
    List<String> values = new java.util.ArrayList<>();
    Oidc.claims(oidc.exchange(code).get("id_token").asText())
        .path("amr")
        .forEach(v -> values.add(v.asText()));
    return values;
  }
}
