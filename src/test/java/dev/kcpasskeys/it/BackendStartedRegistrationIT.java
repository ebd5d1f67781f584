package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.Accessibility;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Backend-started registration (issue 19): an admin or a service account starts a registration for
 * a user; the user completes it once, before it expires, on the enrolment page or in an app; the
 * backend reads the outcome. Nobody is signed in by it.
 */
@ExtendWith(KeycloakExtension.class)
class BackendStartedRegistrationIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String adminBase() {
    return "/realms/" + realm.name() + "/passkeys/v1"; // under /admin
  }

  private JsonNode start(String userId, Map<String, Object> body) {
    AdminClient.Response created =
        realm.admin().post(adminBase() + "/users/" + userId + "/registrations", body);
    assertEquals(201, created.status(), created.body());
    return created.json();
  }

  private JsonNode record(String id) {
    return realm.admin().ok(realm.admin().get(adminBase() + "/registrations/" + id));
  }

  /** The user's side, without a token: the ticket in the body, never in the URL. */
  private static AdminClient.Response publicPost(String ticket, String step, String body) {
    com.fasterxml.jackson.databind.node.ObjectNode json;
    try {
      json = (com.fasterxml.jackson.databind.node.ObjectNode) AdminClient.JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    json.put("ticket", ticket);
    return new ApiClient(realm, null).postToApi("/registrations/" + step, json.toString());
  }

  /** The user's side, as an app does it: options, the authenticator, verification. */
  private static AdminClient.Response complete(
      String ticket, SoftAuthenticator key, Tweaks tweaks) {
    AdminClient.Response options = publicPost(ticket, "options", "{}");
    assertEquals(200, options.status(), options.body());
    String credential = key.register(options.json().get("publicKey").toString(), tweaks);
    return publicPost(ticket, "attempt_verification", "{\"credential\":" + credential + "}");
  }

  @Test
  void aSupportLinkIsCompletedOnceAndTheBackendLearnsTheOutcome() {
    String userId = realm.createUser("nora", "nora-password");
    JsonNode created = start(userId, Map.of("name", "Nora's work key", "expires_in", 3600));
    String ticket = created.get("ticket").asText();
    assertEquals("pending", created.get("status").asText());
    assertTrue(
        created
            .get("url")
            .asText()
            .endsWith("/realms/" + realm.name() + "/passkeys/enroll#" + ticket),
        created.toString());
    JsonNode pending = record(created.get("id").asText());
    assertEquals("pending", pending.get("status").asText());
    assertNull(pending.get("ticket"), "the ticket appears once, in the answer that created it");

    AdminClient.Response options = publicPost(ticket, "options", "{}");
    assertEquals("nora", options.json().get("username").asText(), options.body());
    SoftAuthenticator key = new SoftAuthenticator(realm.server().baseUrl());
    AdminClient.Response done = complete(ticket, key, Tweaks.none());
    assertEquals(200, done.status(), done.body());
    assertEquals("completed", done.json().get("status").asText());
    assertEquals("Nora's work key", done.json().at("/passkey/name").asText());
    assertFalse(done.body().contains("token"), "no token: " + done.body());

    JsonNode completed = record(created.get("id").asText());
    assertEquals("completed", completed.get("status").asText(), completed.toString());
    assertEquals(done.json().at("/passkey/id").asText(), completed.get("passkey_id").asText());
    JsonNode event = realm.events("UPDATE_CREDENTIAL", userId).get(0);
    assertEquals("enrollment", event.at("/details/passkey_source").asText(), event.toString());
    assertEquals(created.get("id").asText(), event.at("/details/registration_id").asText());

    // The passkey signs Nora in: the link gave her a credential, and the caller nothing.
    assertNotNull(ApiClient.passkeyToken(realm, key, "openid"));

    // Used: a second completion, or even the options, are refused alike.
    AdminClient.Response reused = publicPost(ticket, "options", "{}");
    assertEquals(404, reused.status(), reused.body());
    assertEquals("registration_not_found", reused.json().get("error").asText());
    assertEquals(1, realm.passkeys(userId).size());
  }

  @Test
  void anExpiredOrCancelledLinkIsRefusedAndItsRecordSaysSo() throws Exception {
    String userId = realm.createUser("otto", "otto-password");
    JsonNode shortLived = start(userId, Map.of("expires_in", 1));
    JsonNode cancelled = start(userId, Map.of());
    AdminClient.Response cancel =
        realm.admin().delete(adminBase() + "/registrations/" + cancelled.get("id").asText());
    assertEquals(200, cancel.status(), cancel.body());
    assertEquals("cancelled", cancel.json().get("status").asText());
    Thread.sleep(2_000);

    for (JsonNode registration : new JsonNode[] {shortLived, cancelled}) {
      AdminClient.Response refused =
          publicPost(registration.get("ticket").asText(), "options", "{}");
      assertEquals(404, refused.status(), refused.body());
      assertEquals("registration_not_found", refused.json().get("error").asText());
    }
    assertEquals("expired", record(shortLived.get("id").asText()).get("status").asText());
    assertEquals("cancelled", record(cancelled.get("id").asText()).get("status").asText());
    assertEquals(0, realm.passkeys(userId).size());
  }

  @Test
  void aRefusedResponseSavesNothingAndLeavesTheLinkForAnotherTry() {
    String userId = realm.createUser("ida", "ida-password");
    String ticket = start(userId, Map.of()).get("ticket").asText();
    SoftAuthenticator key = new SoftAuthenticator(realm.server().baseUrl());
    AdminClient.Response wrongSite =
        complete(ticket, key, Tweaks.none().origin("https://evil.example"));
    assertEquals(400, wrongSite.status(), wrongSite.body());
    assertEquals(0, realm.passkeys(userId).size());
    AdminClient.Response done = complete(ticket, key, Tweaks.none());
    assertEquals(200, done.status(), done.body());
  }

  @Test
  void badRequestsAreRefusedWithStableCodes() {
    String userId = realm.createUser("bea", "bea-password");
    String base = adminBase() + "/users/" + userId + "/registrations";
    for (Map<String, Object> body :
        new Map[] {
          Map.of("expires_in", 0),
          Map.of("expires_in", 40L * 24 * 3600),
          Map.of("expires_in", "soon"),
          Map.of("client_id", "no-such-app")
        }) {
      AdminClient.Response refused = realm.admin().post(base, body);
      assertEquals(400, refused.status(), refused.body());
      assertEquals("invalid_request", refused.json().get("error").asText());
    }
    AdminClient.Response badName = realm.admin().post(base, Map.of("name", "\u202Eevil"));
    assertEquals(422, badName.status(), badName.body());
    AdminClient.Response noUser =
        realm.admin().post(adminBase() + "/users/no-such-user/registrations", Map.of());
    assertEquals(404, noUser.status(), noUser.body());
    for (String ticket : new String[] {"short", "x".repeat(43), "not-a-ticket!!"}) {
      AdminClient.Response unknown = publicPost(ticket, "options", "{}");
      assertEquals(404, unknown.status(), ticket + ": " + unknown.body());
    }
    assertEquals(
        404,
        realm.admin().get(adminBase() + "/registrations/" + java.util.UUID.randomUUID()).status());
  }

  @Test
  void aServiceAccountWithManageUsersCanStartOneAndOneWithoutCannot() throws Exception {
    String userId = realm.createUser("sam", "sam-password");
    String withRole = serviceAccount("onboarding-robot", true);
    String without = serviceAccount("idle-robot", false);
    HttpResponse<String> created = adminPost(withRole, "/users/" + userId + "/registrations");
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(created.body().contains("\"ticket\""));
    HttpResponse<String> refused = adminPost(without, "/users/" + userId + "/registrations");
    assertEquals(403, refused.statusCode(), refused.body());
  }

  @Test
  void theEnrolmentPageCompletesItInChromium() {
    String userId = realm.createUser("eve", "eve-password");
    JsonNode created = start(userId, Map.of("name", "Eve's laptop"));
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    java.util.Properties english = LanguagesIT.bundle("en");
    browser.open(created.get("url").asText());
    String forEve = english.getProperty("passkeysEnrollFor").replace("{0}", "eve");
    assertEquals(forEve, browser.text(By.id("enroll-for"), forEve));
    assertFalse(
        browser.driver().getCurrentUrl().contains(created.get("ticket").asText()),
        "the ticket leaves the address bar");
    Accessibility.assertNoViolations(browser, "enrolment page");
    browser.find(By.id("enroll-create")).click();
    browser.await(d -> d.findElement(By.id("enroll-done")).isDisplayed());
    Accessibility.assertNoViolations(browser, "enrolment page, done");
    String done = english.getProperty("passkeysEnrollDone");
    assertEquals(done, browser.text(By.id("enroll-status"), done));
    assertTrue(
        browser.find(By.id("enroll-status")).getAttribute("class").contains("kcp-info"),
        "shown as news, not as an error");
    assertFalse(browser.find(By.id("enroll-create")).isDisplayed(), "no second passkey");
    assertEquals("completed", record(created.get("id").asText()).get("status").asText());
    assertEquals("Eve's laptop", realm.passkeys(userId).get(0).get("userLabel").asText());

    // The same link again, in the same tab: the page says it cannot be used any more.
    browser.open(created.get("url").asText());
    String invalid = english.getProperty("passkeysEnrollInvalid");
    assertEquals(invalid, browser.text(By.id("enroll-status"), invalid));
    assertFalse(browser.find(By.id("enroll-create")).isEnabled());
  }

  /**
   * A confidential client with a service account, with or without realm-management's manage-users.
   */
  private String serviceAccount(String clientId, boolean manageUsers) throws Exception {
    AdminClient admin = realm.admin();
    String realmBase = "/realms/" + realm.name();
    admin.ok(
        admin.post(
            realmBase + "/clients",
            Map.of(
                "clientId", clientId,
                "enabled", true,
                "publicClient", false,
                "secret", clientId + "-secret",
                "serviceAccountsEnabled", true,
                "standardFlowEnabled", false)));
    String id =
        admin.ok(admin.get(realmBase + "/clients?clientId=" + clientId)).get(0).get("id").asText();
    if (manageUsers) {
      String robot =
          admin
              .ok(admin.get(realmBase + "/clients/" + id + "/service-account-user"))
              .get("id")
              .asText();
      String management =
          admin
              .ok(admin.get(realmBase + "/clients?clientId=realm-management"))
              .get(0)
              .get("id")
              .asText();
      JsonNode role =
          admin.ok(admin.get(realmBase + "/clients/" + management + "/roles/manage-users"));
      admin.ok(
          admin.post(
              realmBase + "/users/" + robot + "/role-mappings/clients/" + management,
              java.util.List.of(role)));
    }
    HttpResponse<String> token =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(realm.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id="
                            + clientId
                            + "&client_secret="
                            + clientId
                            + "-secret"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, token.statusCode(), token.body());
    return AdminClient.JSON.readTree(token.body()).get("access_token").asText();
  }

  private static HttpResponse<String> adminPost(String token, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(realm.server().baseUrl() + "/admin" + adminBase() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
