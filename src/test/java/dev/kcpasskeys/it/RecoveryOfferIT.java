package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.MailSink;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.ServerMetrics;
import dev.kcpasskeys.it.support.TestRealm;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * After "forgot password" (e-mail link, new password) a passkey is offered before the user is back
 * at the app.
 */
@ExtendWith(KeycloakExtension.class)
class RecoveryOfferIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private static final Pattern RESET_LINK =
      Pattern.compile("https?://\\S+/login-actions/action-token\\?\\S+");
  private static final String NEW_PASSWORD = "A-new-password-2026";
  static MailSink mail;
  private final Oidc oidc = new Oidc(realm);

  @BeforeAll
  static void realmSendsMailAndOffersPasskeys() {
    mail = MailSink.start();
    realm.useMailServer(mail.realmSmtpServer());
    AdminClient admin = realm.admin();
    admin.ok(
        admin.put(
            "/realms/" + realm.name() + "/passkeys/v1/settings", Map.of("nudge_enabled", true)));
  }

  @AfterAll
  static void stopSink() {
    mail.close();
  }

  @Test
  void afterANewPasswordAPasskeyIsOfferedAndCreatedBeforeReturningToTheApp() {
    String userId = realm.createUser("rita", "rita-old-password");
    long before =
        ServerMetrics.counter(
            realm, "keycloak_passkeys_registrations_total", "source=\"recovery\"");
    long inStats = realm.stat("/last_30_days/registrations_by_source/recovery");
    Browser browser = browser();
    recoverAccount(browser, "rita");

    // The intro first: the password page before has a title too.
    assertTrue(
        browser
            .find(By.id("passkey-register-intro"))
            .getText()
            .startsWith("Your password has been changed."));
    assertEquals("Sign in faster next time", browser.pageTitle("Sign in faster next time"));
    LoginPages pages = new LoginPages(browser);
    pages.createPasskey("Rita's laptop");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()), "back at the app");

    assertEquals(
        "recovery",
        realm.events("UPDATE_CREDENTIAL", userId).get(0).at("/details/passkey_source").asText());
    assertEquals(
        1,
        realm.credentials(userId).findValues("type").stream()
            .filter(t -> t.asText().equals("webauthn-passwordless"))
            .count());
    assertEquals(
        before + 1,
        ServerMetrics.counter(
            realm, "keycloak_passkeys_registrations_total", "source=\"recovery\""));
    assertEquals(inStats + 1, realm.stat("/last_30_days/registrations_by_source/recovery"));
  }

  @Test
  void notNowReturnsToTheAppAndAnEarlierSnoozeDoesNotHoldTheOfferBack() {
    String userId = realm.createUser("sam", "sam-old-password");
    Browser browser = browser();
    answerTheSignInOffer(browser, "sam", "sam-old-password", "passkey-not-now");
    recoverAccount(browser, "sam");

    browser.find(By.id("passkey-not-now")).click();
    assertNotNull(Oidc.codeOf(new LoginPages(browser).awaitRedirectWithCode()), "back at the app");
    assertTrue(
        realm.credentials(userId).findValues("type").stream()
            .noneMatch(t -> t.asText().equals("webauthn-passwordless")));
  }

  @Test
  void dontAskAgainIsHonouredAfterRecoveryToo() {
    realm.createUser("tia", "tia-old-password");
    Browser browser = browser();
    answerTheSignInOffer(browser, "tia", "tia-old-password", "passkey-never");
    recoverAccount(browser, "tia");
    assertNotNull(
        Oidc.codeOf(new LoginPages(browser).awaitRedirectWithCode()), "straight back to the app");
  }

  /**
   * A password sign-in, where the nudge offers a passkey; the user answers with a button, then
   * signs out.
   */
  private void answerTheSignInOffer(
      Browser browser, String username, String password, String button) {
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword(username, password);
    browser.find(By.id(button)).click();
    pages.awaitRedirectWithCode();
    browser.signOut();
  }

  /** Login page, "Forgot password?", the e-mailed link (same browser), a new password. */
  private void recoverAccount(Browser browser, String username) {
    browser.open(oidc.authorizationUrl());
    browser.find(By.cssSelector("a[href*='login-actions/reset-credentials']")).click();
    browser.find(By.id("username")).sendKeys(username);
    browser.find(By.id("kc-reset-password-form")).submit();

    String text = mail.awaitMessageTo(username + "@example.test", Duration.ofSeconds(30)).text();
    Matcher link = RESET_LINK.matcher(text);
    assertTrue(link.find(), "a reset link in: " + text);
    browser.open(link.group());
    browser.find(By.id("password-new")).sendKeys(NEW_PASSWORD);
    browser.find(By.id("password-confirm")).sendKeys(NEW_PASSWORD);
    browser.find(By.id("kc-submit")).click();
  }

  private Browser browser() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    return browser;
  }
}
