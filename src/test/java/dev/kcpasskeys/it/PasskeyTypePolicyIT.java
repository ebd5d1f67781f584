package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which passkeys count (issue 18): only device-bound ones (BE=0) where the realm, the app, a group
 * or a role of the user asks for that; synced ones everywhere else. Checked at registration and at
 * sign-in.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyTypePolicyIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  static final String ATTRIBUTE = "passkeys.passkeyTypes";
  static final Tweaks DEVICE_BOUND = Tweaks.none().backupEligible(false).backedUp(false);
  private static final Properties ENGLISH = LanguagesIT.bundle("en");
  private static final String REFUSED = ENGLISH.getProperty("passkeyDeviceBoundRequired");

  private final PasskeyAccounts accounts = new PasskeyAccounts(realm);
  private final Oidc oidc = new Oidc(realm);

  @BeforeAll
  static void adminsAuditorsAndABankApp() {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name();
    admin.ok(
        admin.post(
            base + "/groups",
            Map.of("name", "admins", "attributes", Map.of(ATTRIBUTE, List.of("device_bound")))));
    admin.ok(
        admin.post(
            base + "/roles",
            Map.of("name", "auditor", "attributes", Map.of(ATTRIBUTE, List.of("device_bound")))));
    admin.ok(
        admin.post(
            base + "/clients",
            Map.of(
                "clientId",
                "bank-app",
                "publicClient",
                true,
                "redirectUris",
                List.of("http://localhost:*"),
                "attributes",
                Map.of(ATTRIBUTE, "device_bound"))));
  }

  /** The example. */
  @Test
  void membersOfAdminsMayOnlyUseDeviceBoundPasskeysEveryoneElseSyncedOnes() {
    PasskeyAccounts.Account eve = accounts.withPasskey("eve"); // synced: BE=1, BS=1
    assertNotNull(signIn(eve, oidc.authorizationUrl(), Tweaks.none()).code(), "synced is fine");

    HttpLogin root = accounts.registrationPage("root");
    joinAdmins("root");
    SoftAuthenticator rootDevice = new SoftAuthenticator(accounts.origin());
    HttpLogin.Result synced =
        root.register("Root's password manager", rootDevice.register(root.last().options()));
    assertNull(synced.code(), "a synced passkey is refused for a member of admins");
    assertEquals(REFUSED, synced.error());
    assertTrue(realm.passkeys(realm.userId("root")).isEmpty(), "nothing saved");
    SoftAuthenticator rootKey = new SoftAuthenticator(accounts.origin());
    HttpLogin.Result bound =
        root.register("Root's security key", rootKey.register(root.last().options(), DEVICE_BOUND));
    assertNotNull(bound.code(), "a device-bound passkey is taken: " + bound);
    PasskeyAccounts.Account rootAccount =
        new PasskeyAccounts.Account(
            "root", PasskeyAccounts.password("root"), realm.userId("root"), rootKey);
    assertNotNull(signIn(rootAccount, oidc.authorizationUrl(), DEVICE_BOUND).code());

    // A user with a synced passkey who joins admins can no longer sign in with it.
    PasskeyAccounts.Account ann = accounts.withPasskey("ann");
    joinAdmins("ann");
    HttpLogin.Result refused = signIn(ann, oidc.authorizationUrl(), Tweaks.none());
    assertNull(refused.code());
    assertEquals(REFUSED, refused.error());
    JsonNode event = realm.events("LOGIN_ERROR", ann.userId()).get(0);
    assertEquals("passkey_type_not_allowed", event.get("error").asText());
    assertEquals("device-bound required by group admins", event.at("/details/reason").asText());
  }

  @Test
  void anAppAndARoleCanAskForDeviceBoundPasskeysToo() {
    PasskeyAccounts.Account fay = accounts.withPasskey("fay");
    HttpLogin.Result bank =
        signIn(fay, oidc.authorizationUrl(Map.of("client_id", "bank-app")), Tweaks.none());
    assertNull(bank.code(), "the bank app takes device-bound passkeys only");
    assertEquals(REFUSED, bank.error());
    assertNotNull(
        signIn(fay, oidc.authorizationUrl(), Tweaks.none()).code(), "other apps take synced ones");

    realm.createUser("aud", PasskeyAccounts.password("aud"));
    grantAuditor("aud");
    ApiClient api =
        new ApiClient(
            realm,
            ApiClient.userToken(realm, "aud", PasskeyAccounts.password("aud"), "openid passkeys"));
    AdminClient.Response started = api.post("", "{}");
    AdminClient.Response finished = api.finish(started, new SoftAuthenticator(accounts.origin()));
    assertEquals(403, finished.status(), finished.body());
    assertEquals("passkey_type_not_allowed", finished.json().get("error").asText());
    assertTrue(finished.json().get("error_description").asText().contains("role auditor"));
    api.register(new SoftAuthenticator(accounts.origin()), "Audit key", DEVICE_BOUND);
    assertEquals(1, realm.passkeys(realm.userId("aud")).size());
  }

  @Test
  void theRealmSettingAppliesToEveryoneAndAnUnknownValueIsRefused() {
    PasskeyAccounts.Account gus = accounts.withPasskey("gus");
    AdminClient.Response wrong =
        realm.admin().put(settingsPath(), Map.of("passkey_types", "sometimes"));
    assertEquals(400, wrong.status(), wrong.body());
    assertEquals("invalid_passkey_types", wrong.json().get("error").asText());
    assertEquals(
        "device_bound",
        realm.settings(Map.of("passkey_types", "device_bound")).get("passkey_types").asText());
    try {
      HttpLogin.Result refused = signIn(gus, oidc.authorizationUrl(), Tweaks.none());
      assertNull(refused.code());
      assertEquals(REFUSED, refused.error());
    } finally {
      realm.settings(Map.of("passkey_types", "any"));
    }
    assertNotNull(signIn(gus, oidc.authorizationUrl(), Tweaks.none()).code());
  }

  private HttpLogin.Result signIn(PasskeyAccounts.Account account, String url, Tweaks tweaks) {
    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(url);
    return login.passkeySignIn(
        account.authenticator().authenticate(login.last().options(), tweaks), "button");
  }

  private static void joinAdmins(String username) {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name();
    String groupId = admin.ok(admin.get(base + "/groups?search=admins")).get(0).get("id").asText();
    admin.ok(admin.put(base + "/users/" + realm.userId(username) + "/groups/" + groupId, Map.of()));
  }

  private static void grantAuditor(String username) {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name();
    JsonNode role = admin.ok(admin.get(base + "/roles/auditor"));
    admin.ok(
        admin.post(
            base + "/users/" + realm.userId(username) + "/role-mappings/realm", List.of(role)));
  }

  private static String settingsPath() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }
}
