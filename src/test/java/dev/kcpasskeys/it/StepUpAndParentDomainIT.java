package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/** passkey-login as a second step for a known user, and an RP ID shared by sibling subdomains. */
@ExtendWith(KeycloakExtension.class)
class StepUpAndParentDomainIT {

  @RegisterExtension
  static final TestRealm realm = new TestRealm();

  @RegisterExtension
  final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void afterAUsernameStepOnlyThatUsersPasskeysAreAsked() {
    String userId = realm.createUser("sam", "sam-password", "passkey-register");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword("sam", "sam-password");
    pages.createPasskey("Sam's key");
    pages.awaitRedirectWithCode();

    String flowId = usernameThenPasskeyFlow();
    AdminClient admin = realm.admin();
    ObjectNode client = (ObjectNode) admin.ok(admin.get("/realms/" + realm.name() + "/clients?clientId="
        + TestRealm.TEST_CLIENT)).get(0);
    client.putObject("authenticationFlowBindingOverrides").put("browser", flowId);
    admin.ok(admin.put("/realms/" + realm.name() + "/clients/" + client.get("id").asText(), client));
    try {
      browser.signOut();
      browser.open(oidc.authorizationUrl());
      browser.find(By.id("username")).sendKeys("sam");
      browser.find(By.id("kc-login")).click();
      assertTrue(browser.find(By.id("passkey-step-up-intro")).getText().contains("sam"));
      pages.clickSignInWithPasskey();
      JsonNode claims = Oidc.claims(oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
      assertEquals(userId, claims.get("sub").asText());
      assertEquals("step-up", realm.events("LOGIN").get(0).at("/details/passkey_path").asText());
    } finally {
      client.remove("authenticationFlowBindingOverrides");
      client.putObject("authenticationFlowBindingOverrides");
      admin.ok(admin.put("/realms/" + realm.name() + "/clients/" + client.get("id").asText(), client));
    }
  }

  @Test
  void aPasskeyMadeOnOneSubdomainSignsInOnASiblingWithAParentRpId() {
    String userId = realm.createUser("pia", "pia-password", "passkey-register");
    int port = realm.server().httpPort();
    String login = "http://login.passkeys.localhost:" + port;
    String accounts = "http://accounts.passkeys.localhost:" + port;
    setFrontendUrl(login);
    String settings = "/realms/" + realm.name() + "/passkeys/v1/settings";
    AdminClient admin = realm.admin();
    admin.ok(admin.put(settings, Map.of("rp_id", "passkeys.localhost")));
    try {
      Browser browser = browserExtension.browser();
      VirtualAuthenticator authenticator = browser.addPlatformAuthenticator();
      browser.withoutPasskeyAutofill();
      LoginPages pages = new LoginPages(browser);
      browser.open(oidc.authorizationUrl(login + "/realms/" + realm.name(), Map.of()));
      pages.signInWithPassword("pia", "pia-password");
      pages.createPasskey(null);
      pages.awaitRedirectWithCode();
      assertEquals("passkeys.localhost", authenticator.getCredentials().get(0).getRpId());

      setFrontendUrl(accounts);
      browser.signOut();
      browser.open(oidc.authorizationUrl(accounts + "/realms/" + realm.name(), Map.of()));
      pages.clickSignInWithPasskey();
      JsonNode claims = Oidc.claims(oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
      assertEquals(userId, claims.get("sub").asText());
    } finally {
      admin.ok(admin.put(settings, Map.of("rp_id", "")));
      setFrontendUrl("");
    }
  }

  private void setFrontendUrl(String url) {
    AdminClient admin = realm.admin();
    ObjectNode rep = (ObjectNode) admin.ok(admin.get("/realms/" + realm.name()));
    ((ObjectNode) rep.with("attributes")).put("frontendUrl", url);
    admin.ok(admin.put("/realms/" + realm.name(), rep));
  }

  /** A browser flow that asks for the username, then for one of that user's passkeys. */
  private String usernameThenPasskeyFlow() {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name() + "/authentication/flows";
    admin.ok(admin.post(base, Map.of("alias", "username then passkey", "providerId", "basic-flow",
        "topLevel", true, "builtIn", false, "description", "step-up test")));
    String executions = base + "/username%20then%20passkey/executions";
    admin.ok(admin.post(executions + "/execution", Map.of("provider", "auth-username-form")));
    admin.ok(admin.post(executions + "/execution", Map.of("provider", "passkey-login")));
    for (JsonNode execution : admin.ok(admin.get(executions))) {
      ((ObjectNode) execution).put("requirement", "REQUIRED");
      admin.ok(admin.put(executions, execution));
    }
    for (JsonNode flow : admin.ok(admin.get(base))) {
      if (flow.get("alias").asText().equals("username then passkey")) {
        return flow.get("id").asText();
      }
    }
    throw new AssertionError("flow not created");
  }
}
