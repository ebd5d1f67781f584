package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.pages.PasskeysManagePage;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * The passkeys page against hostile input and requests: XSS, CSRF, stale sign-ins; and the Signal
 * API.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeysPageSecurityIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private static final String XSS = "<img src=x onerror=alert(1)>";

  private PasskeysManagePage signInRegistering(Browser browser, String username, String name) {
    realm.createUser(username, username + "-password", "passkey-register");
    browser.open(realm.realmUrl() + "/passkeys/");
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword(username, username + "-password");
    login.createPasskey(name);
    new PasskeysManagePage(browser).await();
    // Deleting needs a session that used the passkey, not only the password.
    login.signInAgainWithPasskey(realm.realmUrl() + "/passkeys/");
    return new PasskeysManagePage(browser).await();
  }

  @Test
  void aNameWithMarkupStaysInertText() {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    PasskeysManagePage page = signInRegistering(browser, "xena", "Plain");
    page.rename("Plain", XSS);
    page.status(XSS);
    assertInert(browser, page);
    browser.open(realm.realmUrl() + "/passkeys/");
    page.await();
    assertInert(browser, page);
    page.delete(XSS);
    page.status("was deleted"); // the dialog and the message showed it as text too
    assertEquals(0, browser.driver().findElements(By.cssSelector("img[src='x']")).size());
  }

  private static void assertInert(Browser browser, PasskeysManagePage page) {
    assertEquals(List.of(XSS), page.names());
    assertEquals(
        0,
        browser.driver().findElements(By.cssSelector("img[src='x']")).size(),
        "no img element made");
    assertEquals(0, browser.driver().findElements(By.cssSelector(".kcp-passkey-name *")).size());
    try {
      browser.driver().switchTo().alert();
      throw new AssertionError("an alert ran");
    } catch (NoAlertPresentException expected) {
      // inert
    }
  }

  @Test
  void changesWithoutTheTokenOrFromAForeignOriginAreRefused() throws Exception {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    PasskeysManagePage page = signInRegistering(browser, "carl", "Carl key");
    String id = page.passkey("Carl key").getAttribute("data-passkey-id");
    String token = page.config("csrf");
    String url = realm.realmUrl() + "/passkeys/page/passkeys/" + id;
    String origin = realm.server().baseUrl().replaceAll("(https?://[^/]+).*", "$1");

    assertEquals(403, patch(browser, url, origin, null).statusCode(), "no token");
    assertEquals(403, patch(browser, url, origin, "wrong-token").statusCode(), "wrong token");
    HttpResponse<String> foreign = patch(browser, url, "https://evil.example", token);
    assertEquals(403, foreign.statusCode(), "foreign origin");
    assertTrue(foreign.body().contains("invalid_origin"), foreign.body());
    assertEquals(403, patch(browser, url, null, token).statusCode(), "no origin");
    assertEquals(
        403, delete(browser, url, "https://evil.example", token), "delete from a foreign origin");
    assertEquals(401, patch(null, url, origin, token).statusCode(), "no session cookie");
    browser.open(realm.realmUrl() + "/passkeys/");
    assertEquals(List.of("Carl key"), page.await().names(), "nothing changed");

    // The same request with both passes: the refusals above were the checks, not a broken call.
    assertEquals(200, patch(browser, url, origin, token).statusCode());
    assertEquals("renamed-by-test", passkeyLabel(realm.userId("carl")));

    // A GET changes nothing and the page's API has no GET at all.
    HttpResponse<String> get =
        send(browser, HttpRequest.newBuilder(URI.create(url)).GET(), origin, token);
    assertNotEquals(200, get.statusCode());
  }

  private static String passkeyLabel(String userId) {
    for (JsonNode c : realm.credentials(userId)) {
      if (c.get("type").asText().equals("webauthn-passwordless")) {
        return c.get("userLabel").asText();
      }
    }
    return null;
  }

  private static HttpResponse<String> patch(
      Browser browser, String url, String origin, String token) throws Exception {
    return send(
        browser,
        HttpRequest.newBuilder(URI.create(url))
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"renamed-by-test\"}"))
            .header("Content-Type", "application/json"),
        origin,
        token);
  }

  private static int delete(Browser browser, String url, String origin, String token)
      throws Exception {
    return send(browser, HttpRequest.newBuilder(URI.create(url)).DELETE(), origin, token)
        .statusCode();
  }

  private static HttpResponse<String> send(
      Browser browser, HttpRequest.Builder request, String origin, String token) throws Exception {
    if (browser != null) {
      request.header(
          "Cookie",
          browser.driver().manage().getCookies().stream()
              .map(c -> c.getName() + "=" + c.getValue())
              .collect(Collectors.joining("; ")));
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (token != null) {
      request.header("X-Passkeys-CSRF", token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStaleSignInIsSentThroughSignInAgainAndBack() throws Exception {
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    PasskeysManagePage page = signInRegistering(browser, "stan", "Stan key");
    realm.setReauthenticationSeconds("1");
    try {
      Thread.sleep(2500);
      page.rename("Stan key", "Too late");
      // The page sends the browser to sign in again (prompt=login): Keycloak knows the user, so
      // the sign-in page asks for one of their passkeys ...
      LoginPages login = new LoginPages(browser);
      browser.await(
          d ->
              d.getCurrentUrl().contains("/protocol/openid-connect/auth")
                  || d.getCurrentUrl().contains("/login-actions/"));
      assertEquals("Stan key", passkeyLabel(realm.userId("stan")), "nothing changed");
      realm.setReauthenticationSeconds("300");
      login.clickSignInWithPasskey();
      // ... and back to the page, where changes work again.
      page.await();
      page.rename("Stan key", "Fresh");
      page.status("Fresh");
      assertEquals("Fresh", passkeyLabel(realm.userId("stan")));
    } finally {
      realm.setReauthenticationSeconds("300");
    }
  }

  @Test
  void signalsTheAcceptedPasskeysAndTheUserOnLoadAndAfterADelete() {
    Browser browser = browserExtension.browser();
    browser.beforeEveryPage(
        "window.__signals = [];"
            + "if (window.PublicKeyCredential) {"
            + " const record = (type) => (options) => { window.__signals.push(Object.assign({ type }, options));"
            + "   return Promise.resolve(); };"
            + " Object.defineProperty(PublicKeyCredential, 'signalAllAcceptedCredentials',"
            + "   { value: record('accepted'), configurable: true, writable: true });"
            + " Object.defineProperty(PublicKeyCredential, 'signalCurrentUserDetails',"
            + "   { value: record('user'), configurable: true, writable: true }); }");
    var first = browser.addPlatformAuthenticator();
    PasskeysManagePage page = signInRegistering(browser, "sig", "Sig one");
    String userId = realm.userId("sig");
    String userHandle =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(userId.getBytes(StandardCharsets.UTF_8));
    String firstId =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(first.getCredentials().get(0).getId());

    JsonNode signals = signals(browser);
    JsonNode accepted = find(signals, "accepted");
    assertEquals(userHandle, accepted.get("userId").asText());
    assertEquals("localhost", accepted.get("rpId").asText());
    assertEquals(List.of(firstId), texts(accepted.get("allAcceptedCredentialIds")));
    JsonNode user = find(signals, "user");
    assertEquals(userHandle, user.get("userId").asText());
    assertEquals("sig", user.get("name").asText());
    assertEquals("Test sig", user.get("displayName").asText());

    browser.removeAuthenticator(first);
    browser.addPlatformAuthenticator();
    page.add();
    page.await().status("was added");
    page.delete("Sig one");
    page.status("was deleted");
    JsonNode afterDelete = signals(browser);
    JsonNode last = afterDelete.get(afterDelete.size() - 1);
    assertEquals("accepted", last.get("type").asText());
    assertEquals(1, last.get("allAcceptedCredentialIds").size());
    assertTrue(
        !texts(last.get("allAcceptedCredentialIds")).contains(firstId), "the deleted one is gone");
  }

  private static JsonNode signals(Browser browser) {
    try {
      return AdminClient.JSON.readTree(
          (String)
              browser.await(
                  d -> {
                    Object json = browser.script("return JSON.stringify(window.__signals || [])");
                    return json != null && !"[]".equals(json) ? json : null;
                  }));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode find(JsonNode signals, String type) {
    for (JsonNode s : signals) {
      if (s.get("type").asText().equals(type)) {
        return s;
      }
    }
    throw new AssertionError("no " + type + " signal in " + signals);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
