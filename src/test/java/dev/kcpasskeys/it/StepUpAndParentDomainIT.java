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

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private final Oidc oidc = new Oidc(realm);
  private static final String STEP_UPS = "/last_30_days/sign_ins_by_path/step-up";
  private static final String USERNAME_FIRST = "/last_30_days/sign_ins_by_path/username-first";

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

    String flowId =
        realm.createFlow("username then passkey", "auth-username-form", "passkey-login");
    AdminClient admin = realm.admin();
    ObjectNode client =
        (ObjectNode)
            admin
                .ok(
                    admin.get(
                        "/realms/" + realm.name() + "/clients?clientId=" + TestRealm.TEST_CLIENT))
                .get(0);
    client.putObject("authenticationFlowBindingOverrides").put("browser", flowId);
    admin.ok(
        admin.put("/realms/" + realm.name() + "/clients/" + client.get("id").asText(), client));
    try {
      browser.signOut();
      long usernameFirst = realm.stat(USERNAME_FIRST);
      long stepUps = realm.stat(STEP_UPS);
      browser.open(oidc.authorizationUrl());
      browser.find(By.id("username")).sendKeys("sam");
      browser.find(By.id("kc-login")).click();
      assertTrue(browser.find(By.id("passkey-step-up-intro")).getText().contains("sam"));
      pages.clickSignInWithPasskey();
      JsonNode claims =
          Oidc.claims(
              oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
      assertEquals(userId, claims.get("sub").asText());
      // Named by the username step, not signed in before: not a step-up.
      assertEquals(
          "username-first", realm.events("LOGIN").get(0).at("/details/passkey_path").asText());
      assertEquals(usernameFirst + 1, realm.stat(USERNAME_FIRST));
      assertEquals(stepUps, realm.stat(STEP_UPS));
    } finally {
      client
          .putObject("authenticationFlowBindingOverrides")
          .put("browser", ""); // an empty value removes it
      admin.ok(
          admin.put("/realms/" + realm.name() + "/clients/" + client.get("id").asText(), client));
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
      JsonNode claims =
          Oidc.claims(
              oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
      assertEquals(userId, claims.get("sub").asText());
    } finally {
      admin.ok(admin.put(settings, Map.of("rp_id", "")));
      setFrontendUrl("");
    }
  }

  @Test
  void levelsOfAuthenticationGiveTheFlowsAcrAndStepUpUsesThePasskey() {
    String userId = realm.createUser("lea", "lea-password", "passkey-register");
    AdminClient admin = realm.admin();
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    LoginPages pages = new LoginPages(browser);
    browser.open(oidc.authorizationUrl());
    pages.signInWithPassword("lea", "lea-password");
    pages.createPasskey(null);
    pages.awaitRedirectWithCode();
    browser.signOut();

    ObjectNode rep = (ObjectNode) admin.ok(admin.get("/realms/" + realm.name()));
    String oldFlow = rep.get("browserFlow").asText();
    ((ObjectNode) rep.with("attributes")).put("acr.loa.map", "{\"silver\":\"1\",\"gold\":\"2\"}");
    rep.put("browserFlow", levelsFlow());
    admin.ok(admin.put("/realms/" + realm.name(), rep));
    try {
      browser.open(oidc.authorizationUrl(Map.of("acr_values", "silver")));
      pages.clickSignInWithPasskey();
      JsonNode silver =
          Oidc.claims(
              oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
      assertEquals("silver", silver.get("acr").asText());
      assertEquals(userId, silver.get("sub").asText());

      long stepUps = realm.stat(STEP_UPS);
      browser.open(oidc.authorizationUrl(Map.of("acr_values", "gold")));
      assertTrue(
          browser.find(By.id("passkey-step-up-intro")).getText().contains("lea"),
          "step-up asks lea's passkey");
      pages.clickSignInWithPasskey();
      JsonNode gold =
          Oidc.claims(
              oidc.exchange(Oidc.codeOf(pages.awaitRedirectWithCode())).get("id_token").asText());
      assertEquals("gold", gold.get("acr").asText());
      // A step-up on top of an SSO session still ends in a stored LOGIN event, which the admin
      // stats count.
      assertEquals("step-up", realm.events("LOGIN").get(0).at("/details/passkey_path").asText());
      assertEquals(stepUps + 1, realm.stat(STEP_UPS));
    } finally {
      rep.put("browserFlow", oldFlow);
      admin.ok(admin.put("/realms/" + realm.name(), rep));
    }
  }

  /**
   * Cookie, then level 1 (passkey or password on our page), then level 2 (a passkey again, as
   * step-up).
   */
  private String levelsFlow() {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name() + "/authentication";
    admin.ok(
        admin.post(
            base + "/flows",
            Map.of(
                "alias",
                "levels",
                "providerId",
                "basic-flow",
                "topLevel",
                true,
                "builtIn",
                false,
                "description",
                "LoA test")));
    admin.ok(
        admin.post(base + "/flows/levels/executions/execution", Map.of("provider", "auth-cookie")));
    admin.ok(
        admin.post(
            base + "/flows/levels/executions/flow",
            Map.of(
                "alias",
                "levels forms",
                "type",
                "basic-flow",
                "description",
                "",
                "provider",
                "registration-page-form")));
    for (int level = 1; level <= 2; level++) {
      String sub = "level " + level;
      admin.ok(
          admin.post(
              base + "/flows/levels%20forms/executions/flow",
              Map.of(
                  "alias",
                  sub,
                  "type",
                  "basic-flow",
                  "description",
                  "",
                  "provider",
                  "registration-page-form")));
      String subPath = base + "/flows/" + sub.replace(" ", "%20") + "/executions";
      admin.ok(
          admin.post(
              subPath + "/execution", Map.of("provider", "conditional-level-of-authentication")));
      admin.ok(admin.post(subPath + "/execution", Map.of("provider", "passkey-login")));
      for (JsonNode execution : admin.ok(admin.get(subPath))) {
        ((ObjectNode) execution).put("requirement", "REQUIRED");
        admin.ok(admin.put(subPath, execution));
        if ("conditional-level-of-authentication".equals(execution.path("providerId").asText())) {
          admin.ok(
              admin.post(
                  base + "/executions/" + execution.get("id").asText() + "/config",
                  Map.of(
                      "alias",
                      "loa" + level,
                      "config",
                      Map.of(
                          "loa-condition-level",
                          Integer.toString(level),
                          "loa-max-age",
                          "36000"))));
        }
      }
    }
    for (JsonNode execution : admin.ok(admin.get(base + "/flows/levels/executions"))) {
      String name = execution.path("displayName").asText();
      String requirement = name.startsWith("level ") ? "CONDITIONAL" : "ALTERNATIVE";
      if (execution.path("level").asInt() <= 1) {
        ((ObjectNode) execution).put("requirement", requirement);
        admin.ok(admin.put(base + "/flows/levels/executions", execution));
      }
    }
    for (JsonNode flow : admin.ok(admin.get(base + "/flows"))) {
      if (flow.get("alias").asText().equals("levels")) {
        return "levels";
      }
    }
    throw new AssertionError("flow not created");
  }

  private void setFrontendUrl(String url) {
    AdminClient admin = realm.admin();
    ObjectNode rep = (ObjectNode) admin.ok(admin.get("/realms/" + realm.name()));
    ((ObjectNode) rep.with("attributes")).put("frontendUrl", url);
    admin.ok(admin.put("/realms/" + realm.name(), rep));
  }

  /** A browser flow that asks for the username, then for one of that user's passkeys. */
}
