package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** Passkey-first sign-up: e-mail and a passkey, no password; off by default, and off means Keycloak's own sign-up. */
@ExtendWith(KeycloakExtension.class)
class PasskeyFirstSignUpIT {

  @RegisterExtension
  static final TestRealm realm = new TestRealm();

  @RegisterExtension
  final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);

  @BeforeEach
  void registrationWithEmail() {
    realmSettings(Map.of("registrationAllowed", true, "smtpServer",
        Map.of("host", "localhost", "port", "1", "from", "signup@example.test")));
  }

  @AfterEach
  void passkeyFirstOff() {
    settings(Map.of("passkey_first_sign_up", false));
  }

  @Test
  void switchingOnNeedsUserRegistrationAndEmailSettingsAndIsRefusedOtherwise() {
    realmSettings(Map.of("registrationAllowed", false));
    AdminClient.Response refused = realm.admin().put(settingsPath(), Map.of("passkey_first_sign_up", true));
    assertEquals(400, refused.status(), refused.body());
    assertEquals("invalid_sign_up", refused.json().get("error").asText());
    assertTrue(refused.json().get("error_description").asText().contains("User registration"), refused.body());

    realmSettings(Map.of("registrationAllowed", true, "smtpServer", Map.of()));
    refused = realm.admin().put(settingsPath(), Map.of("passkey_first_sign_up", true, "rp_name", "Changed"));
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.json().get("error_description").asText().contains("SMTP"), refused.body());

    JsonNode unchanged = realm.admin().ok(realm.admin().get(settingsPath()));
    assertFalse(unchanged.get("passkey_first_sign_up").asBoolean(), "off by default, still off");
    assertEquals("registration", unchanged.get("registration_flow").asText());
    assertFalse(unchanged.hasNonNull("rp_name"), "a refused request changes nothing");
  }

  @Test
  void onBindsTheRegistrationFlowWithoutThePasswordStepAndOffRestoresKeycloaks() {
    JsonNode on = settings(Map.of("passkey_first_sign_up", true));
    assertTrue(on.get("passkey_first_sign_up").asBoolean());
    assertEquals("passkeys registration", on.get("registration_flow").asText());
    assertEquals("passkeys registration", realm.admin().ok(realm.admin().get("/realms/" + realm.name()))
        .get("registrationFlow").asText());
    List<String> steps = new ArrayList<>();
    for (JsonNode execution : realm.admin().ok(realm.admin().get("/realms/" + realm.name()
        + "/authentication/flows/passkeys%20registration/executions"))) {
      steps.add(execution.path("providerId").asText("") + ":" + execution.path("requirement").asText());
    }
    assertTrue(steps.containsAll(List.of("registration-user-creation:REQUIRED", "passkey-sign-up:REQUIRED",
        "registration-recaptcha-action:DISABLED")), steps.toString());
    assertFalse(steps.stream().anyMatch(s -> s.startsWith("registration-password-action")), steps.toString());

    JsonNode off = settings(Map.of("passkey_first_sign_up", false));
    assertEquals("registration", off.get("registration_flow").asText());
    assertEquals("passkeys registration", settings(Map.of("passkey_first_sign_up", true)).get("registration_flow")
        .asText(), "on again: the same flow");
    assertEquals("registration", settings(Map.of("enabled", false)).get("registration_flow").asText(),
        "passkeys off: Keycloak's sign-up, whatever the switch says");
    assertEquals("passkeys registration", settings(Map.of("enabled", true)).get("registration_flow").asText());
  }

  @Test
  void offMeansKeycloaksUsualSignUpWithAPassword() {
    Browser browser = browser();
    openSignUpForm(browser);
    assertTrue(browser.driver().findElement(By.id("password")).isDisplayed());
    fillSignUpForm(browser, "olga", "olga@example.test");
    browser.find(By.id("password")).sendKeys("olga-password-1");
    browser.find(By.id("password-confirm")).sendKeys("olga-password-1");
    submit(browser);
    new LoginPages(browser).awaitRedirectWithCode();
    assertEquals(List.of("password"), realm.credentials(realm.userId("olga")).findValuesAsText("type"));
  }

  @Test
  void onTheFormHasNoPasswordAndBadInputShowsKeycloaksMessagesAndCreatesNothing() {
    settings(Map.of("passkey_first_sign_up", true));
    realm.createUser("taken", "taken-password");
    long usersBefore = userCount();
    Browser browser = browser();
    openSignUpForm(browser);
    assertTrue(browser.driver().findElements(By.id("password")).isEmpty(), "no password fields");
    assertTrue(browser.driver().findElements(By.id("password-confirm")).isEmpty());

    fillSignUpForm(browser, "newbie", "not-an-e-mail");
    submit(browser);
    assertEquals("Invalid email address.", browser.find(By.id("input-error-email")).getText().trim());

    fillSignUpForm(browser, "newbie", "taken@example.test");
    submit(browser);
    assertEquals("Email already exists.", browser.find(By.id("input-error-email")).getText().trim());
    assertTrue(browser.driver().findElements(By.id("password")).isEmpty(), "still no password fields");
    assertEquals(usersBefore, userCount(), "nothing created");
  }

  private Browser browser() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    return browser;
  }

  private void openSignUpForm(Browser browser) {
    browser.open(oidc.authorizationUrl());
    browser.find(By.cssSelector("#kc-registration a")).click();
    browser.find(By.id("kc-register-form"));
  }

  private static void fillSignUpForm(Browser browser, String username, String email) {
    for (var field : Map.of("username", username, "email", email, "firstName", "New", "lastName", username).entrySet()) {
      var input = browser.find(By.id(field.getKey()));
      input.clear();
      input.sendKeys(field.getValue());
    }
  }

  private static void submit(Browser browser) {
    browser.find(By.cssSelector("#kc-register-form [type=submit]")).click();
  }

  private long userCount() {
    return realm.admin().ok(realm.admin().get("/realms/" + realm.name() + "/users/count")).asLong();
  }

  private String settingsPath() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }

  private JsonNode settings(Map<String, Object> body) {
    return realm.admin().ok(realm.admin().put(settingsPath(), body));
  }

  private void realmSettings(Map<String, Object> fields) {
    realm.admin().ok(realm.admin().put("/realms/" + realm.name(), fields));
  }
}
