package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.pages.PasskeysManagePage;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The passkeys page: sign-in round trip, the list, and adding, renaming and deleting passkeys. */
@ExtendWith(KeycloakExtension.class)
class PasskeysPageIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  static String pageUrl() {
    return realm.realmUrl() + "/passkeys/";
  }

  /**
   * Opens the page without a session, signs in with the password and registers a passkey on the
   * way.
   */
  static PasskeysManagePage signInRegistering(
      Browser browser, String username, String passkeyName) {
    realm.createUser(username, username + "-password", "passkey-register");
    browser.open(pageUrl());
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword(username, username + "-password");
    login.createPasskey(passkeyName);
    return new PasskeysManagePage(browser).await();
  }

  static List<JsonNode> passkeysOf(String userId) {
    List<JsonNode> passkeys = new ArrayList<>();
    realm
        .credentials(userId)
        .forEach(
            c -> {
              if (c.get("type").asText().equals("webauthn-passwordless")) {
                passkeys.add(c);
              }
            });
    return passkeys;
  }

  @Test
  void listsARegisteredPasskeyWithNameProviderDatesAndBadges() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    PasskeysManagePage page = signInRegistering(browser, "ada", "Ada's laptop");

    assertEquals(List.of("Ada's laptop"), page.names());
    WebElement item = page.passkey("Ada's laptop");
    assertFalse(
        item.findElement(By.cssSelector(".kcp-provider")).getText().isBlank(), "a provider line");
    String badges = item.findElement(By.cssSelector(".kcp-badges")).getText();
    assertTrue(badges.contains("This device only") || badges.contains("Synced"), badges);
    assertFalse(badges.contains("Used on this device"), "signed in with a password: " + badges);
    WebElement created = item.findElement(By.cssSelector("time.kcp-time"));
    assertTrue(
        created.getAttribute("datetime").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"),
        created.getAttribute("datetime"));
    assertTrue(created.getText().contains("("), "relative and exact: " + created.getText());

    // Signed in with this passkey, the page says it was used here.
    browser.signOut();
    browser.withoutPasskeyAutofill();
    browser.open(pageUrl());
    new LoginPages(browser).clickSignInWithPasskey();
    page.await();
    String after =
        page.passkey("Ada's laptop").findElement(By.cssSelector(".kcp-badges")).getText();
    assertTrue(after.contains("Used on this device"), after);
    assertEquals(
        2,
        page.passkey("Ada's laptop").findElements(By.cssSelector("time.kcp-time")).size(),
        "created and last used");
  }

  @Test
  void addsRenamesAndDeletesPasskeysOnThePage() {
    String userId = realm.createUser("bea", "bea-password");
    Browser browser = browserExtension.browser();
    var first = browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    browser.open(pageUrl());
    new LoginPages(browser).signInWithPassword("bea", "bea-password");
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    assertTrue(page.emptyStateShown(), "the empty state invites a first passkey");
    assertEquals("Create your first passkey", browser.find(By.id("passkeys-add")).getText());

    page.add();
    page.await().status("was added");
    assertEquals(1, page.names().size());
    assertEquals(1, passkeysOf(userId).size());
    assertFalse(page.emptyStateShown());

    // Bea has a passkey now: adding another needs a session that used it, not only the password.
    // The page sends her to confirm with a passkey (and nothing else) and brings her back.
    page.add();
    assertTrue(browser.find(By.id("passkey-step-up-intro")).getText().contains("bea"));
    assertTrue(browser.driver().findElements(By.id("password")).isEmpty(), "no password this time");
    new LoginPages(browser).clickSignInWithPasskey();
    page.await();
    // A second passkey needs another authenticator: the first one is excluded.
    browser.removeAuthenticator(first);
    browser.addPlatformAuthenticator();
    page.add();
    page.await().status("was added");
    assertEquals(2, page.names().size());

    String original = page.names().get(0);
    page.rename(original, "Work phone");
    page.status("Work phone");
    assertTrue(page.names().contains("Work phone"), page.names().toString());
    assertTrue(
        passkeysOf(userId).stream()
            .anyMatch(c -> c.get("userLabel").asText().equals("Work phone")));
    assertEquals(
        "UPDATE_CREDENTIAL", realm.events("UPDATE_CREDENTIAL", userId).get(0).get("type").asText());

    page.startRename("Work phone");
    WebElement input = page.passkey("Work phone").findElement(By.cssSelector(".kcp-rename-input"));
    input.clear();
    page.passkey("Work phone").findElement(By.cssSelector(".kcp-rename-save")).click();
    assertEquals("Enter a name for the passkey.", page.fieldError("Work phone"));
    // maxlength stops typing past 64; a value set another way (autofill, script) is still checked.
    browser.script("arguments[0].value = arguments[1]", input, "x".repeat(65));
    page.passkey("Work phone").findElement(By.cssSelector(".kcp-rename-save")).click();
    assertTrue(page.fieldError("Work phone").contains("64"), "too long");
    page.passkey("Work phone").findElement(By.cssSelector(".kcp-rename-cancel")).click();

    page.delete("Work phone");
    page.status("was deleted");
    assertFalse(page.names().contains("Work phone"));
    assertEquals(1, passkeysOf(userId).size());
    browser.open(pageUrl());
    assertEquals(1, page.await().names().size(), "still gone after a reload");
  }

  @Test
  void refusesToDeleteTheLastWayToSignIn() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    PasskeysManagePage page = signInRegistering(browser, "cyd", "Only key");
    String userId = realm.userId("cyd");
    realm.deletePassword(userId);
    new LoginPages(browser).signInAgainWithPasskey(pageUrl());
    page.await().delete("Only key");
    String message = page.status("only way to sign in");
    assertTrue(message.contains("Add another passkey or set a password"), message);
    assertEquals(List.of("Only key"), page.names());
    assertEquals(1, passkeysOf(userId).size());
  }

  @Test
  void showsABackLinkOnlyForARegisteredRedirectUri() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    signInRegistering(browser, "dov", "Dov key");
    browser.open(
        pageUrl()
            + "?client_id="
            + TestRealm.TEST_CLIENT
            + "&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fhome");
    PasskeysManagePage page = new PasskeysManagePage(browser).await();
    WebElement back = browser.find(By.id("passkeys-back"));
    assertEquals("http://localhost:1/home", back.getAttribute("href"));
    assertTrue(back.getText().startsWith("Back to "), back.getText());

    browser.open(
        pageUrl()
            + "?client_id="
            + TestRealm.TEST_CLIENT
            + "&redirect_uri=https%3A%2F%2Fevil.example%2F");
    page.await();
    assertTrue(
        browser.driver().findElements(By.id("passkeys-back")).isEmpty(),
        "no link to an unregistered address");
  }
}
