package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.credential.PasskeyNames;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.Browser.PasswordManager;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.ServerMetrics;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Automatic passkey upgrades in Chromium. The virtual authenticator cannot do a real conditional
 * create, so {@link Browser#withPasswordManager} stands in for the password manager: it reports
 * {@code conditionalCreate} and answers, declines or keeps pending the page's conditional create.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyUpgradeIT {

  static final String NUDGE_TITLE = "Sign in faster next time";

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);
  private final ServerMetrics metrics = new ServerMetrics(realm);

  @BeforeEach
  void nudgeOn() {
    realm.settings(Map.of("nudge_enabled", true, "upgrade_enabled", true));
  }

  @AfterEach
  void defaults() {
    realm.settings(Map.of("nudge_enabled", false, "upgrade_enabled", true));
  }

  @Test
  void aPasswordManagerThatUpgradesMakesThePasskeyWithoutAnyPageToAnswer() {
    String userId = realm.createUser("ada", "ada-password");
    Browser browser = browser(PasswordManager.UPGRADES);
    Counts before = new Counts();

    LoginPages pages = signInWithPassword(browser, "ada");
    assertNotNull(
        Oidc.codeOf(pages.awaitRedirectWithCode()), "back at the app with nothing clicked");

    String userAgent = (String) browser.script("return navigator.userAgent;");
    JsonNode passkey = realm.onlyPasskey(userId);
    assertEquals(
        PasskeyNames.uniqueDefault(Optional.empty(), userAgent, List.of()),
        passkey.get("userLabel").asText(),
        "named like a kept suggestion (the virtual authenticator's AAGUID names no provider)");
    assertEquals(
        "upgrade",
        realm.events("UPDATE_CREDENTIAL", userId).get(0).at("/details/passkey_source").asText());
    Counts after = new Counts();
    assertEquals(1, after.tried - before.tried);
    assertEquals(1, after.succeeded - before.succeeded);
    assertEquals(0, after.fallback - before.fallback);
    assertEquals(1, after.upgradeRegistrations - before.upgradeRegistrations);
    assertEquals(0, after.nudgesShown - before.nudgesShown, "the nudge was skipped");
    browser.open(realm.realmUrl() + "/.well-known/openid-configuration");
    assertEquals(1, browser.conditionalCreates());

    browser.signOut();
    browser.open(oidc.authorizationUrl());
    pages.clickSignInWithPasskey();
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()), "the upgraded passkey signs in");
  }

  @Test
  void withoutTheCapabilityTheNudgeShowsAndNoConditionalCreateIsMade() {
    nudgeWithoutAnAttempt("bea", PasswordManager.CANNOT_UPGRADE);
  }

  @Test
  void aDeclinedUpgradeFallsBackToTheNudge() {
    String userId = realm.createUser("cyd", "cyd-password");
    Browser browser = browser(PasswordManager.DECLINES);
    Counts before = new Counts();

    LoginPages pages = signInWithPassword(browser, "cyd");

    assertEquals(NUDGE_TITLE, visibleNudgeTitle(browser));
    assertEquals(1, browser.conditionalCreates());
    pages.createPasskey("Cyd's laptop");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
    assertEquals("Cyd's laptop", realm.onlyPasskey(userId).get("userLabel").asText());
    assertEquals(
        "nudge",
        realm.events("UPDATE_CREDENTIAL", userId).get(0).at("/details/passkey_source").asText());
    Counts after = new Counts();
    assertEquals(1, after.tried - before.tried);
    assertEquals(0, after.succeeded - before.succeeded);
    assertEquals(1, after.fallback - before.fallback);
    assertEquals(
        1, after.nudgesShown - before.nudgesShown, "shown once, by the page, after the attempt");
  }

  @Test
  void createPasskeyWhileTheUpgradeIsPendingAbortsItFirst() {
    String userId = realm.createUser("dan", "dan-password");
    Browser browser = browser(PasswordManager.KEEPS_PENDING);
    Counts before = new Counts();

    LoginPages pages = signInWithPassword(browser, "dan");

    assertEquals(
        NUDGE_TITLE,
        visibleNudgeTitle(browser),
        "shown while the password manager keeps us waiting");
    assertEquals(1, browser.conditionalCreates());
    // Chromium refuses a second create ("A request is already pending") unless the page aborted the
    // first.
    pages.createPasskey("Dan's laptop");
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
    assertEquals("Dan's laptop", realm.onlyPasskey(userId).get("userLabel").asText());
    assertEquals(1, new Counts().fallback - before.fallback);
  }

  @Test
  void withUpgradesSwitchedOffThereIsNoAttempt() {
    realm.settings(Map.of("upgrade_enabled", false));
    nudgeWithoutAnAttempt("eve", PasswordManager.UPGRADES);
  }

  /**
   * The password sign-in leads to the plain nudge: no conditional create, nothing counted as tried.
   */
  private void nudgeWithoutAnAttempt(String username, PasswordManager manager) {
    realm.createUser(username, username + "-password");
    Browser browser = browser(manager);
    Counts before = new Counts();

    LoginPages pages = signInWithPassword(browser, username);

    assertEquals(NUDGE_TITLE, visibleNudgeTitle(browser));
    assertEquals(0, browser.conditionalCreates());
    assertEquals(0, new Counts().tried - before.tried);
    browser.find(By.id("passkey-not-now")).click();
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
  }

  @Test
  void withoutANudgeADeclinedUpgradeGoesStraightOnToTheApp() {
    realm.settings(Map.of("nudge_enabled", false));
    String userId = realm.createUser("fay", "fay-password");
    Browser browser = browser(PasswordManager.DECLINES);
    Counts before = new Counts();

    LoginPages pages = signInWithPassword(browser, "fay");

    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()), "no page to answer");
    assertTrue(realm.passkeys(userId).isEmpty());
    Counts after = new Counts();
    assertEquals(1, after.tried - before.tried);
    assertEquals(1, after.fallback - before.fallback);
    assertEquals(0, after.nudgesShown - before.nudgesShown);
  }

  /**
   * The upgrade page while the password manager takes its time: first "Finishing your sign-in",
   * then a Continue button; both without WCAG violations, in light and dark, and Continue goes on.
   */
  @Test
  void whileThePasswordManagerTakesItsTimeThePageIsAccessibleAndCanBeLeft() {
    realm.settings(Map.of("nudge_enabled", false));
    realm.createUser("gil", "gil-password");
    Browser browser = browser(PasswordManager.KEEPS_PENDING);
    LoginPages pages = signInWithPassword(browser, "gil");
    browser.await(d -> d.findElement(By.id("passkey-upgrade-status")).isDisplayed());
    assertEquals(
        "Finishing your sign-in…", browser.find(By.id("passkey-upgrade-status")).getText());
    assertNoViolations(browser, "automatic upgrade, waiting");
    browser.await(d -> d.findElement(By.id("passkey-continue")).isDisplayed());
    assertNoViolations(browser, "automatic upgrade, continue offered");
    browser.find(By.id("passkey-continue")).click();
    assertNotNull(Oidc.codeOf(pages.awaitRedirectWithCode()));
  }

  /** Our counters, read at one moment. */
  private final class Counts {
    final long tried = upgrades("tried");
    final long succeeded = upgrades("succeeded");
    final long fallback = upgrades("fallback");
    final long upgradeRegistrations =
        metrics.sum("keycloak_passkeys_registrations_total", "source=\"upgrade\"");
    final long nudgesShown = metrics.sum("keycloak_passkeys_nudges_total", "outcome=\"shown\"");

    private long upgrades(String outcome) {
      return metrics.sum("keycloak_passkeys_upgrades_total", "outcome=\"" + outcome + "\"");
    }
  }

  private boolean capable;

  private Browser browser(PasswordManager manager) {
    capable = manager != PasswordManager.CANNOT_UPGRADE;
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    browser.withPasswordManager(manager);
    return browser;
  }

  private LoginPages signInWithPassword(Browser browser, String username) {
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    if (capable) {
      // The page's script reports the capability along with the password: let it first.
      browser.await(
          d ->
              "true".equals(d.findElement(By.id("passkey-upgrade-capable")).getAttribute("value")));
    }
    pages.signInWithPassword(username, username + "-password");
    return pages;
  }

  /** The nudge's title, once the page shows its buttons. */
  private static String visibleNudgeTitle(Browser browser) {
    browser.await(d -> d.findElement(By.id("passkey-not-now")).isDisplayed());
    return browser.find(By.id("kc-page-title")).getText().trim();
  }
}
