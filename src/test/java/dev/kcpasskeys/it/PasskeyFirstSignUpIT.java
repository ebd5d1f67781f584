package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.MailSink;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Passkey-first sign-up: e-mail and a passkey, no password; off by default, and off means
 * Keycloak's own sign-up.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyFirstSignUpIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private static MailSink mail;
  private final Oidc oidc = new Oidc(realm);

  @BeforeAll
  static void startMailSink() {
    mail = MailSink.start();
  }

  @AfterAll
  static void stopMailSink() {
    mail.close();
  }

  @BeforeEach
  void registrationWithEmail() {
    realmSettings(Map.of("registrationAllowed", true, "smtpServer", mail.realmSmtpServer()));
  }

  @AfterEach
  void passkeyFirstOff() {
    realm.settings(Map.of("passkey_first_sign_up", false));
  }

  @Test
  void switchingOnNeedsUserRegistrationAndEmailSettingsAndIsRefusedOtherwise() {
    realmSettings(Map.of("registrationAllowed", false));
    AdminClient.Response refused =
        realm.admin().put(settingsPath(), Map.of("passkey_first_sign_up", true));
    assertEquals(400, refused.status(), refused.body());
    assertEquals("invalid_sign_up", refused.json().get("error").asText());
    assertTrue(
        refused.json().get("error_description").asText().contains("User registration"),
        refused.body());

    realmSettings(Map.of("registrationAllowed", true, "smtpServer", Map.of()));
    refused =
        realm
            .admin()
            .put(settingsPath(), Map.of("passkey_first_sign_up", true, "rp_name", "Changed"));
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.json().get("error_description").asText().contains("SMTP"), refused.body());

    JsonNode unchanged = realm.admin().ok(realm.admin().get(settingsPath()));
    assertFalse(unchanged.get("passkey_first_sign_up").asBoolean(), "off by default, still off");
    assertEquals("registration", unchanged.get("registration_flow").asText());
    assertFalse(unchanged.hasNonNull("rp_name"), "a refused request changes nothing");
  }

  @Test
  void onBindsTheRegistrationFlowWithoutThePasswordStepAndOffRestoresKeycloaks() {
    JsonNode on = realm.settings(Map.of("passkey_first_sign_up", true));
    assertTrue(on.get("passkey_first_sign_up").asBoolean());
    assertEquals("passkeys registration", on.get("registration_flow").asText());
    assertEquals(
        "passkeys registration",
        realm
            .admin()
            .ok(realm.admin().get("/realms/" + realm.name()))
            .get("registrationFlow")
            .asText());
    List<String> steps = new ArrayList<>();
    for (JsonNode execution :
        realm.adminGet("/authentication/flows/passkeys%20registration/executions")) {
      steps.add(
          execution.path("providerId").asText("") + ":" + execution.path("requirement").asText());
    }
    assertTrue(
        steps.containsAll(
            List.of(
                "registration-user-creation:REQUIRED",
                "passkey-sign-up:REQUIRED",
                "registration-recaptcha-action:DISABLED")),
        steps.toString());
    assertFalse(
        steps.stream().anyMatch(s -> s.startsWith("registration-password-action")),
        steps.toString());

    JsonNode off = realm.settings(Map.of("passkey_first_sign_up", false));
    assertEquals("registration", off.get("registration_flow").asText());
    assertEquals(
        "passkeys registration",
        realm.settings(Map.of("passkey_first_sign_up", true)).get("registration_flow").asText(),
        "on again: the same flow");
    assertEquals(
        "registration",
        realm.settings(Map.of("enabled", false)).get("registration_flow").asText(),
        "passkeys off: Keycloak's sign-up, whatever the switch says");
    assertEquals(
        "passkeys registration",
        realm.settings(Map.of("enabled", true)).get("registration_flow").asText());
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
    assertEquals(
        List.of("password"), realm.credentials(realm.userId("olga")).findValuesAsText("type"));
  }

  @Test
  void onTheFormHasNoPasswordAndBadInputShowsKeycloaksMessagesAndCreatesNothing() {
    realm.settings(Map.of("passkey_first_sign_up", true));
    realm.createUser("taken", "taken-password");
    long usersBefore = userCount();
    Browser browser = browser();
    openSignUpForm(browser);
    assertTrue(browser.driver().findElements(By.id("password")).isEmpty(), "no password fields");
    assertTrue(browser.driver().findElements(By.id("password-confirm")).isEmpty());

    fillSignUpForm(browser, "newbie", "not-an-e-mail");
    submit(browser);
    assertEquals(
        "Invalid email address.",
        browser.text(By.id("input-error-email"), "Invalid email address."));

    fillSignUpForm(browser, "newbie", "taken@example.test");
    submit(browser);
    assertEquals(
        "Email already exists.", browser.text(By.id("input-error-email"), "Email already exists."));
    assertTrue(
        browser.driver().findElements(By.id("password")).isEmpty(), "still no password fields");
    assertEquals(usersBefore, userCount(), "nothing created");
  }

  @Test
  void aNewUserSignsUpWithEmailAndAPasskeyAndSignsInWithItAtOnce() {
    realm.settings(Map.of("passkey_first_sign_up", true));
    long signUpsBefore =
        realm.metric("keycloak_passkeys_registrations_total", "source=\"sign-up\"");
    long signUpsInStats = realm.stat("/last_30_days/registrations_by_source/sign-up");
    Browser browser = browser();
    LoginPages pages = new LoginPages(browser);
    openSignUpForm(browser);
    fillSignUpForm(browser, "sam", "sam@example.test");
    submit(browser);

    String verification = link(mail.awaitMessageTo("sam@example.test", Duration.ofSeconds(30)));
    String userId = realm.userId("sam");
    assertEquals(
        List.of(),
        realm.credentials(userId).findValuesAsText("type"),
        "an account, no credentials yet");
    browser.open(verification);
    assertEquals("Create your passkey", browser.pageTitle("Create your passkey"));
    assertTrue(browser.find(By.id("passkey-register-intro")).getText().startsWith("One last step"));
    assertNoViolations(browser, "passkey-first sign-up");
    assertTrue(
        browser.driver().findElements(By.id("passkey-not-now")).isEmpty(),
        "mandatory, not the nudge");
    assertTrue(browser.driver().findElements(By.id("passkey-cancel")).isEmpty());
    pages.createPasskey(null);

    JsonNode idToken =
        Oidc.claims(
            oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
    assertEquals(userId, idToken.get("sub").asText());
    assertEquals("sam@example.test", idToken.get("email").asText());
    assertTrue(idToken.get("email_verified").asBoolean());
    assertEquals(
        List.of("webauthn-passwordless"),
        realm.credentials(userId).findValuesAsText("type"),
        "no password");
    JsonNode user = realm.adminGet("/users/" + userId);
    assertEquals(0, user.get("requiredActions").size(), user.toString());
    assertEquals(
        "sign-up",
        realm.events("UPDATE_CREDENTIAL", userId).get(0).at("/details/passkey_source").asText());
    assertEquals(
        signUpsBefore + 1,
        realm.metric("keycloak_passkeys_registrations_total", "source=\"sign-up\""));
    assertEquals(signUpsInStats + 1, realm.stat("/last_30_days/registrations_by_source/sign-up"));

    browser.signOut();
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    JsonNode again =
        Oidc.claims(
            oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
    assertEquals(userId, again.get("sub").asText());
    assertTrue(again.get("amr").toString().contains("hwk"), again.toString());
  }

  /**
   * The person closed the tab before creating the passkey. The account owes it still (a required
   * action on the user); "Forgot password?" proves the e-mail address again and gets them back in,
   * where Keycloak's reset flow asks for a password and the passkey step follows, mandatory.
   */
  @Test
  void anAbandonedSignUpIsFinishedAfterForgotPassword() {
    realm.settings(Map.of("passkey_first_sign_up", true));
    Browser browser = browser();
    openSignUpForm(browser);
    fillSignUpForm(browser, "abby", "abby@example.test");
    submit(browser);
    browser.open(link(mail.awaitMessageTo("abby@example.test", Duration.ofSeconds(30))));
    browser.find(By.id("passkey-create"));
    String userId = realm.userId("abby");

    try (Browser later = Browser.start()) {
      later.addPlatformAuthenticator();
      later.withoutPasskeyAutofill();
      LoginPages pages = new LoginPages(later);
      later.open(oidc.authorizationUrl());
      later.find(By.cssSelector("a[href*='reset-credentials']")).click();
      later.find(By.id("username")).sendKeys("abby@example.test");
      later.find(By.id("kc-form-buttons")).click();
      later.open(link(mail.awaitMessageTo("abby@example.test", 2, Duration.ofSeconds(30))));
      later.find(By.id("password-new")).sendKeys("abby-password-1");
      later.find(By.id("password-confirm")).sendKeys("abby-password-1");
      later.find(By.id("kc-submit")).click();
      assertEquals("Create your passkey", later.pageTitle("Create your passkey"), "still owed");
      assertTrue(later.driver().findElements(By.id("passkey-not-now")).isEmpty());
      pages.createPasskey(null);
      pages.awaitRedirectWithCode();
    }
    assertEquals(
        List.of("password", "webauthn-passwordless"),
        realm.credentials(userId).findValuesAsText("type").stream().sorted().toList());
    assertEquals(
        "sign-up",
        realm.events("UPDATE_CREDENTIAL", userId).get(0).at("/details/passkey_source").asText());
  }

  /**
   * Support can send the owed steps by e-mail (Keycloak's execute-actions e-mail): no password
   * involved.
   */
  @Test
  void anAbandonedSignUpCanBeFinishedFromAnAdminsEmailWithoutAPassword() {
    realm.settings(Map.of("passkey_first_sign_up", true));
    Browser browser = browser();
    openSignUpForm(browser);
    fillSignUpForm(browser, "cleo", "cleo@example.test");
    submit(browser);
    mail.awaitMessageTo(
        "cleo@example.test", Duration.ofSeconds(30)); // the verification e-mail, never opened
    String userId = realm.userId("cleo");
    browser.signOut();

    realm
        .admin()
        .ok(
            realm
                .admin()
                .put(
                    "/realms/"
                        + realm.name()
                        + "/users/"
                        + userId
                        + "/execute-actions-email?client_id="
                        + TestRealm.TEST_CLIENT
                        + "&redirect_uri="
                        + Oidc.REDIRECT_URI,
                    List.of("VERIFY_EMAIL", "passkey-register")));
    browser.open(link(mail.awaitMessageTo("cleo@example.test", 2, Duration.ofSeconds(30))));
    browser
        .find(By.cssSelector("a[href*='action-token']"))
        .click(); // Keycloak's "Click here to proceed"
    assertEquals("Create your passkey", browser.pageTitle("Create your passkey"));
    new LoginPages(browser).createPasskey(null);
    browser.await(
        d ->
            d.getCurrentUrl().startsWith(Oidc.REDIRECT_URI)
                    || d.getPageSource().contains("kc-info-message")
                ? Boolean.TRUE
                : null);
    assertEquals(
        List.of("webauthn-passwordless"), realm.credentials(userId).findValuesAsText("type"));
    JsonNode user = realm.adminGet("/users/" + userId);
    assertTrue(user.get("emailVerified").asBoolean());
    assertEquals(0, user.get("requiredActions").size(), user.toString());
  }

  /** The action-token link of one of Keycloak's e-mails (verify e-mail, reset credentials). */
  private static String link(MailSink.Message message) {
    Matcher m =
        Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+").matcher(message.text());
    assertTrue(m.find(), message.text());
    return m.group();
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
    for (var field :
        Map.of("username", username, "email", email, "firstName", "New", "lastName", username)
            .entrySet()) {
      var input = browser.find(By.id(field.getKey()));
      input.clear();
      input.sendKeys(field.getValue());
    }
  }

  private static void submit(Browser browser) {
    browser.find(By.cssSelector("#kc-register-form [type=submit]")).click();
  }

  private long userCount() {
    return realm.adminGet("/users/count").asLong();
  }

  private String settingsPath() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }

  private void realmSettings(Map<String, Object> fields) {
    realm.admin().ok(realm.admin().put("/realms/" + realm.name(), fields));
  }
}
