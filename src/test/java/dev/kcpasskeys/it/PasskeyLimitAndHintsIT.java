package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.pages.PasskeysManagePage;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two realm policies (issue 18): a limit on passkeys per user, refused alike by the API, the
 * passkeys page and the required action; and WebAuthn hints, sent in creation and request options.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyLimitAndHintsIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final PasskeyAccounts accounts = new PasskeyAccounts(realm);
  private final Oidc oidc = new Oidc(realm);
  private static final Properties ENGLISH = LanguagesIT.bundle("en");

  @AfterEach
  void defaults() {
    realm.settings(Map.of("max_passkeys", 20, "hints", List.of()));
  }

  @Test
  void theDefaultsAreTwentyPasskeysAndNoHints() {
    JsonNode settings = realm.admin().ok(realm.admin().get(settingsPath()));
    assertEquals(20, settings.get("max_passkeys").asInt());
    assertEquals(0, settings.get("hints").size());
    HttpLogin login = accounts.loginPage();
    assertFalse(login.last().options().contains("\"hints\""), login.last().options());
  }

  @Test
  void aLimitOutOfRangeOrAnUnknownHintIsRefusedAndChangesNothing() {
    AdminClient admin = realm.admin();
    JsonNode before = admin.ok(admin.get(settingsPath()));
    for (Object[] refused :
        new Object[][] {
          {Map.of("max_passkeys", 0), "invalid_max_passkeys"},
          {Map.of("max_passkeys", 101), "invalid_max_passkeys"},
          {Map.of("hints", List.of("usb")), "invalid_hints"},
          {Map.of("hints", List.of("hybrid", "hybrid")), "invalid_hints"},
          {Map.of("hints", List.of("hybrid"), "max_passkeys", -1), "invalid_max_passkeys"}
        }) {
      AdminClient.Response response = admin.put(settingsPath(), refused[0]);
      assertEquals(400, response.status(), response.body());
      assertEquals(refused[1], response.json().get("error").asText(), response.body());
      assertEquals(before, admin.ok(admin.get(settingsPath())), "nothing changed");
    }
  }

  @Test
  void hintsGoIntoTheSignInAndRegistrationOptionsInTheAdminsOrder() throws Exception {
    JsonNode saved = realm.settings(Map.of("hints", List.of("security-key", "hybrid")));
    assertEquals(List.of("security-key", "hybrid"), strings(saved.get("hints")));

    HttpLogin login = accounts.loginPage();
    assertEquals(
        List.of("security-key", "hybrid"),
        strings(AdminClient.JSON.readTree(login.last().options()).get("hints")),
        "request options of the sign-in page");

    HttpLogin registration = accounts.registrationPage("hilda");
    assertEquals(
        List.of("security-key", "hybrid"),
        strings(AdminClient.JSON.readTree(registration.last().options()).get("hints")),
        "creation options of the registration page");

    realm.createUser("hugo", PasskeyAccounts.password("hugo"));
    ApiClient api = apiFor("hugo");
    AdminClient.Response started = api.post("", "{}");
    assertEquals(200, started.status(), started.body());
    assertEquals(
        List.of("security-key", "hybrid"),
        strings(started.json().at("/publicKey/hints")),
        "creation options of the app API");
  }

  @Test
  void theApiRefusesOneMorePasskeyThanTheLimitWithAStableCode() {
    realm.settings(Map.of("max_passkeys", 2));
    realm.createUser("lim", PasskeyAccounts.password("lim"));
    ApiClient api = apiFor("lim");
    SoftAuthenticator one = new SoftAuthenticator(accounts.origin());
    api.register(one, "One");
    api = new ApiClient(realm, ApiClient.passkeyToken(realm, one, "openid passkeys"));
    AdminClient.Response second = api.post("", "{}"); // started while one more is allowed

    api.register(new SoftAuthenticator(accounts.origin()), "Two");
    AdminClient.Response third = api.post("", "{}");
    assertEquals(409, third.status(), third.body());
    assertEquals("passkey_limit_reached", third.json().get("error").asText());
    assertTrue(third.json().get("error_description").asText().contains("2 passkeys"));

    // Finishing a registration started before the limit was reached is refused as well.
    AdminClient.Response finished = api.finish(second, new SoftAuthenticator(accounts.origin()));
    assertEquals(409, finished.status(), finished.body());
    assertEquals("passkey_limit_reached", finished.json().get("error").asText());
    assertEquals(2, realm.passkeys(realm.userId("lim")).size(), "nothing saved");
    assertEquals(
        "passkey_limit_reached",
        realm.events("UPDATE_CREDENTIAL_ERROR", realm.userId("lim")).get(0).get("error").asText());

    // Raising the limit lets the user add one again.
    realm.settings(Map.of("max_passkeys", 3));
    api.register(new SoftAuthenticator(accounts.origin()), "Three");
    assertEquals(3, realm.passkeys(realm.userId("lim")).size());
  }

  @Test
  void thePasskeysPageSaysWhyNoPasskeyCanBeAdded() {
    realm.settings(Map.of("max_passkeys", 1));
    realm.createUser("pia", "pia-password", PasskeyAccounts.REGISTER_ACTION);
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    browser.open(realm.realmUrl() + "/passkeys/");
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword("pia", "pia-password");
    login.createPasskey("Pia's laptop");
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    page.add();
    String message = page.status("as many passkeys");
    assertEquals(ENGLISH.getProperty("passkeysLimitReached"), message.trim());
    assertEquals(List.of("Pia's laptop"), page.names());
  }

  @Test
  void anAppAskingForOneMoreGetsTheReasonAndAnAdminsRequirementIsAlreadyMet() {
    realm.settings(Map.of("max_passkeys", 1));
    PasskeyAccounts.Account ana = accounts.withPasskey("ana");

    HttpLogin app = new HttpLogin(accounts.origin());
    app.open(oidc.authorizationUrl(Map.of("kc_action", "passkey-register")));
    app.passwordSignIn("ana", ana.password());
    assertTrue(app.last().isRegistrationPage(), app.last().toString());
    assertEquals(ENGLISH.getProperty("passkeyLimitReached"), app.last().error());
    assertTrue(
        app.last().html().contains("id=\"passkey-cancel\""), "the app's request can be cancelled");

    String userId = realm.userId("ana");
    realm.editUser(userId, rep -> rep.putArray("requiredActions").add("passkey-register"));
    HttpLogin required = accounts.loginPage();
    HttpLogin.Result done = required.passwordSignIn("ana", ana.password());
    assertNotNull(done.code(), "already has every passkey allowed: on to the app " + done);
    assertEquals(1, realm.passkeys(userId).size());
  }

  private ApiClient apiFor(String username) {
    return new ApiClient(
        realm,
        ApiClient.userToken(
            realm, username, PasskeyAccounts.password(username), "openid passkeys"));
  }

  private static List<String> strings(JsonNode array) {
    return AdminClient.JSON.convertValue(array, List.class);
  }

  private static String settingsPath() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }
}
