package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.FirstPartyApp;
import dev.kcpasskeys.it.support.FirstPartyApp.Pkce;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * First-party passkey sign-in without the login page (issue 19): the Authorization Challenge
 * Endpoint of draft-ietf-oauth-first-party-apps, with a passkey as the challenge, and the stock
 * token endpoint redeeming its code with PKCE.
 */
@ExtendWith(KeycloakExtension.class)
class FirstPartySignInIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private final PasskeyAccounts accounts = new PasskeyAccounts(realm);
  private final Oidc oidc = new Oidc(realm);

  @BeforeAll
  static void firstPartyApps() {
    markFirstParty(TestRealm.TEST_CLIENT);
    FirstPartyApp.createClient(realm, "busy-app", true);
    FirstPartyApp.createClient(realm, "third-party-app", false);
  }

  private static AdminClient.Response challenge(Map<String, String> fields) {
    return new ApiClient(realm, null).postFormToApi("/authorize-challenge", fields);
  }

  private static Map<String, String> start(String clientId, Pkce pkce) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("client_id", clientId);
    if (clientId.equals(TestRealm.TEST_CLIENT)) {
      fields.put("client_secret", TestRealm.TEST_CLIENT_SECRET);
    }
    fields.put("scope", "openid");
    fields.put("code_challenge", pkce.challenge());
    fields.put("code_challenge_method", "S256");
    return fields;
  }

  /**
   * Step 2 with the app's confidential credentials: the passkey's response for the auth session.
   */
  private static AdminClient.Response answer(JsonNode started, String passkeyResponse) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("client_id", TestRealm.TEST_CLIENT);
    fields.put("client_secret", TestRealm.TEST_CLIENT_SECRET);
    fields.put("auth_session", started.get("auth_session").asText());
    fields.put("passkey_response", passkeyResponse);
    return challenge(fields);
  }

  private static JsonNode started(Pkce pkce) {
    AdminClient.Response started = challenge(start(TestRealm.TEST_CLIENT, pkce));
    assertEquals(400, started.status(), started.body());
    assertEquals("insufficient_authorization", started.json().get("error").asText());
    return started.json();
  }

  private static AdminClient.Response redeem(String code, Pkce pkce) {
    return new ApiClient(realm, null)
        .postFormTo(
            realm.realmUrl() + "/protocol/openid-connect/token",
            Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "client_id",
                TestRealm.TEST_CLIENT,
                "client_secret",
                TestRealm.TEST_CLIENT_SECRET,
                "code_verifier",
                pkce.verifier()));
  }

  @Test
  void aFirstPartyAppSignsInWithAPasskeyAndGetsWhatTheBrowserFlowGives() throws Exception {
    PasskeyAccounts.Account fay = accounts.withPasskey("fay");
    Pkce pkce = Pkce.create();
    JsonNode started = started(pkce);
    JsonNode options = started.at("/passkey/publicKey");
    assertEquals(0, options.path("allowCredentials").size(), "discoverable: " + options);
    AdminClient.Response signedIn =
        answer(started, fay.authenticator().authenticate(options.toString()));
    assertEquals(200, signedIn.status(), signedIn.body());
    String code = signedIn.json().get("authorization_code").asText();
    AdminClient.Response tokens = redeem(code, pkce);
    assertEquals(200, tokens.status(), tokens.body());
    JsonNode firstParty = Oidc.claims(tokens.json().get("id_token").asText());
    JsonNode access = Oidc.claims(tokens.json().get("access_token").asText());

    HttpLogin browser = new HttpLogin(accounts.origin());
    browser.open(oidc.authorizationUrl());
    HttpLogin.Result done =
        browser.passkeySignIn(fay.authenticator().authenticate(browser.last().options()), "button");
    JsonNode browserTokens = oidc.exchange(done.code());
    JsonNode viaBrowser = Oidc.claims(browserTokens.get("id_token").asText());

    assertEquals(claimNames(viaBrowser), claimNames(firstParty), "the same claims");
    assertEquals(viaBrowser.get("sub"), firstParty.get("sub"));
    assertEquals(viaBrowser.get("amr"), firstParty.get("amr"), "amr: " + firstParty);
    assertEquals(viaBrowser.get("acr"), firstParty.get("acr"), "acr: " + firstParty);
    assertEquals(
        claimNames(Oidc.claims(browserTokens.get("access_token").asText())), claimNames(access));
    assertTrue(tokens.json().has("refresh_token"));
    JsonNode login = realm.events("LOGIN", fay.userId()).get(1);
    assertEquals("first-party", login.at("/details/passkey_path").asText(), login.toString());

    // The code is single use, and the answer to the passkey cannot be sent twice.
    assertEquals(400, redeem(code, pkce).status());
    AdminClient.Response replayed =
        answer(started, fay.authenticator().authenticate(options.toString()));
    assertEquals("invalid_session", replayed.json().get("error").asText(), replayed.body());
  }

  private static Set<String> claimNames(JsonNode claims) {
    Set<String> names = new TreeSet<>();
    claims.fieldNames().forEachRemaining(names::add);
    names.removeAll(Set.of("nonce", "at_hash")); // the browser flow's request had a nonce
    return names;
  }

  @Test
  void onlyAppsMarkedFirstPartyMayUseItAndEveryOtherIsSentToTheBrowser() throws Exception {
    AdminClient.Response thirdParty = challenge(start("third-party-app", Pkce.create()));
    assertEquals(400, thirdParty.status(), thirdParty.body());
    assertEquals("redirect_to_web", thirdParty.json().get("error").asText());
    AdminClient.Response unknown = challenge(start("no-such-app", Pkce.create()));
    assertEquals(401, unknown.status(), unknown.body());
    assertEquals("invalid_client", unknown.json().get("error").asText());
    Map<String, String> wrongSecret = start(TestRealm.TEST_CLIENT, Pkce.create());
    wrongSecret.put("client_secret", "wrong");
    AdminClient.Response badSecret = challenge(wrongSecret);
    assertEquals(401, badSecret.status(), badSecret.body());
  }

  @Test
  void pkceIsRequiredAndTheVerifierIsChecked() throws Exception {
    Map<String, String> plain = start(TestRealm.TEST_CLIENT, Pkce.create());
    plain.put("code_challenge_method", "plain");
    assertEquals("invalid_request", challenge(plain).json().get("error").asText());
    Map<String, String> none = start(TestRealm.TEST_CLIENT, Pkce.create());
    none.remove("code_challenge");
    assertEquals("invalid_request", challenge(none).json().get("error").asText());

    PasskeyAccounts.Account pia = accounts.withPasskey("pia");
    Pkce pkce = Pkce.create();
    JsonNode started = started(pkce);
    String code =
        answer(
                started,
                pia.authenticator().authenticate(started.at("/passkey/publicKey").toString()))
            .json()
            .get("authorization_code")
            .asText();
    AdminClient.Response stolen = redeem(code, Pkce.create());
    assertEquals(400, stolen.status(), "another verifier: " + stolen.body());
    assertEquals("invalid_grant", stolen.json().get("error").asText());
  }

  @Test
  void aWrongOriginAnUnknownPasskeyAndAGarbledAnswerAreRefused() throws Exception {
    PasskeyAccounts.Account olga = accounts.withPasskey("olga");
    JsonNode started = started(Pkce.create());
    AdminClient.Response wrongSite =
        answer(
            started,
            olga.authenticator()
                .authenticate(
                    started.at("/passkey/publicKey").toString(),
                    Tweaks.none().origin("https://evil.example")));
    assertEquals(400, wrongSite.status(), wrongSite.body());
    assertEquals("access_denied", wrongSite.json().get("error").asText());

    SoftAuthenticator ghost = new SoftAuthenticator(accounts.origin());
    ghost.register(accounts.registrationPage("ghost").last().options()); // never saved
    JsonNode again = started(Pkce.create());
    AdminClient.Response unknown =
        answer(again, ghost.authenticate(again.at("/passkey/publicKey").toString()));
    assertEquals("access_denied", unknown.json().get("error").asText(), unknown.body());

    JsonNode third = started(Pkce.create());
    assertEquals("access_denied", answer(third, "{not json").json().get("error").asText());
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("client_id", TestRealm.TEST_CLIENT);
    forged.put("client_secret", TestRealm.TEST_CLIENT_SECRET);
    forged.put("auth_session", "forged.tab");
    forged.put("passkey_response", "{}");
    assertEquals("invalid_session", challenge(forged).json().get("error").asText());
    assertEquals(0, realm.events("LOGIN", olga.userId()).size() - 1, "only the registration's");
  }

  @Test
  void aPasskeyResponseFromAnotherAppsOriginSignsNobodyIntoThisOne() throws Exception {
    realm.settings(Map.of("origins", java.util.List.of("https://other-app.example")));
    try {
      PasskeyAccounts.Account ona = accounts.withPasskey("ona");
      JsonNode started = started(Pkce.create());
      AdminClient.Response refused =
          answer(
              started,
              ona.authenticator()
                  .authenticate(
                      started.at("/passkey/publicKey").toString(),
                      Tweaks.none().origin("https://other-app.example")));
      assertEquals("access_denied", refused.json().get("error").asText(), refused.body());
    } finally {
      realm.settings(Map.of("origins", java.util.List.of()));
    }
  }

  @Test
  void anAppWithASignInFlowOfItsOwnIsSentToTheBrowser() throws Exception {
    realm.createClientWithBrowserFlow(
        "own-flow-app", realm.createFlow("own flow", "auth-username-password-form"));
    markFirstParty("own-flow-app");
    AdminClient.Response refused = challenge(start("own-flow-app", Pkce.create()));
    assertEquals("redirect_to_web", refused.json().get("error").asText(), refused.body());
    assertTrue(refused.json().get("error_description").asText().contains("flow of its own"));

    // An app that must send signed request objects (JAR) sends them to the authorization endpoint.
    Map<String, Object> jarApp = new LinkedHashMap<>();
    jarApp.put("clientId", "jar-app");
    jarApp.put("publicClient", true);
    jarApp.put("redirectUris", List.of(Oidc.REDIRECT_URI));
    jarApp.put(
        "attributes",
        Map.of("passkeys.firstParty", "true", "request.object.required", "request or request_uri"));
    realm.admin().ok(realm.admin().post("/realms/" + realm.name() + "/clients", jarApp));
    AdminClient.Response jar = challenge(start("jar-app", Pkce.create()));
    assertEquals("redirect_to_web", jar.json().get("error").asText(), jar.body());
    assertTrue(jar.json().get("error_description").asText().contains("request objects"));
  }

  /**
   * A realm whose sign-in flow asks for more than the passkey (here a one-time code required at the
   * top of the bound flow) sends first-party apps to the browser, where that step runs.
   */
  @Test
  void aRealmFlowThatAsksForMoreSendsTheAppToTheBrowser() throws Exception {
    AdminClient admin = realm.admin();
    String flow = "/realms/" + realm.name() + "/authentication/flows/passkeys%20browser/executions";
    admin.ok(admin.post(flow + "/execution", Map.of("provider", "auth-otp-form")));
    ObjectNode otp = null;
    for (JsonNode step : admin.ok(admin.get(flow))) {
      if ("auth-otp-form".equals(step.path("providerId").asText())
          && step.path("level").asInt() == 0) {
        otp = step.deepCopy();
      }
    }
    assertNotNull(otp, "the step was added");
    try {
      otp.put("requirement", "REQUIRED");
      admin.ok(admin.put(flow, otp));
      AdminClient.Response refused = challenge(start(TestRealm.TEST_CLIENT, Pkce.create()));
      assertEquals("redirect_to_web", refused.json().get("error").asText(), refused.body());
      assertTrue(
          refused.json().get("error_description").asText().contains("auth-otp-form"),
          refused.body());
    } finally {
      admin.delete(
          "/realms/" + realm.name() + "/authentication/executions/" + otp.get("id").asText());
    }
    assertEquals(
        "insufficient_authorization",
        challenge(start(TestRealm.TEST_CLIENT, Pkce.create())).json().get("error").asText(),
        "the flow as it was: a passkey is enough again");
  }

  /**
   * The realm's client policies run as at the authorization endpoint: one the request satisfies
   * (PKCE S256) lets the sign-in start, one it does not (FAPI's response types) refuses it with the
   * policy's own error, and nothing is left behind.
   */
  @Test
  void theAdminsClientPoliciesRunAsAtTheAuthorizationEndpoint() throws Exception {
    AdminClient admin = realm.admin();
    String policies = "/realms/" + realm.name() + "/client-policies";
    try {
      clientPolicy(admin, policies, "pkce-enforcer");
      assertEquals(
          "insufficient_authorization",
          challenge(start(TestRealm.TEST_CLIENT, Pkce.create())).json().get("error").asText(),
          "a policy the request satisfies");
      clientPolicy(admin, policies, "secure-response-type");
      AdminClient.Response refused = challenge(start(TestRealm.TEST_CLIENT, Pkce.create()));
      assertEquals(400, refused.status(), refused.body());
      assertEquals("invalid_request", refused.json().get("error").asText(), refused.body());
      assertEquals(
          "invalid response_type",
          refused.json().get("error_description").asText(),
          refused.body());
    } finally {
      admin.ok(admin.put(policies + "/policies", Map.of("policies", List.of())));
      admin.ok(admin.put(policies + "/profiles", Map.of("profiles", List.of())));
    }
    assertEquals(
        "insufficient_authorization",
        challenge(start(TestRealm.TEST_CLIENT, Pkce.create())).json().get("error").asText(),
        "without the policy");
  }

  /** One client profile with one executor, applied to every app of the realm. */
  private static void clientPolicy(AdminClient admin, String policies, String executor) {
    Map<String, Object> profile =
        Map.of(
            "name",
            "first-party-test",
            "executors",
            List.of(Map.of("executor", executor, "configuration", Map.of())));
    admin.ok(admin.put(policies + "/profiles", Map.of("profiles", List.of(profile))));
    Map<String, Object> policy =
        Map.of(
            "name",
            "every-app",
            "enabled",
            true,
            "conditions",
            List.of(Map.of("condition", "any-client", "configuration", Map.of())),
            "profiles",
            List.of("first-party-test"));
    admin.ok(admin.put(policies + "/policies", Map.of("policies", List.of(policy))));
  }

  @Test
  void whatOnlyTheBrowserCanDoSendsTheAppThere() throws Exception {
    PasskeyAccounts.Account uli = accounts.withPasskey("uli");
    realm.editUser(uli.userId(), rep -> rep.putArray("requiredActions").add("UPDATE_PROFILE"));
    JsonNode started = started(Pkce.create());
    AdminClient.Response needsBrowser =
        answer(
            started, uli.authenticator().authenticate(started.at("/passkey/publicKey").toString()));
    assertEquals(400, needsBrowser.status(), needsBrowser.body());
    assertEquals("redirect_to_web", needsBrowser.json().get("error").asText());
  }

  @Test
  void aLockedOutAccountIsRefusedAsInTheBrowser() throws Exception {
    PasskeyAccounts.Account lou = accounts.withPasskey("lou");
    AdminClient admin = realm.admin();
    admin.ok(
        admin.put(
            "/realms/" + realm.name(),
            Map.of("bruteForceProtected", true, "failureFactor", 1, "permanentLockout", false)));
    try {
      new ApiClient(realm, null)
          .postFormTo(
              realm.realmUrl() + "/protocol/openid-connect/token",
              Map.of(
                  "grant_type", "password",
                  "username", "lou",
                  "password", "wrong",
                  "client_id", TestRealm.TEST_CLIENT,
                  "client_secret", TestRealm.TEST_CLIENT_SECRET));
      String lockState = "/attack-detection/brute-force/users/" + lou.userId();
      for (int i = 0;
          i < 50
              && !admin
                  .ok(admin.get("/realms/" + realm.name() + lockState))
                  .path("disabled")
                  .asBoolean();
          i++) {
        Thread.sleep(100);
      }
      JsonNode started = started(Pkce.create());
      AdminClient.Response refused =
          answer(
              started,
              lou.authenticator().authenticate(started.at("/passkey/publicKey").toString()));
      assertEquals("access_denied", refused.json().get("error").asText(), refused.body());
      assertEquals(
          "user_temporarily_disabled",
          realm.events("LOGIN_ERROR", lou.userId()).get(0).get("error").asText());
    } finally {
      admin.ok(admin.put("/realms/" + realm.name(), Map.of("bruteForceProtected", false)));
      admin.delete(
          "/realms/" + realm.name() + "/attack-detection/brute-force/users/" + lou.userId());
    }
  }

  @Test
  void theChallengeIsRateLimitedPerAppAndAddress() throws Exception {
    int limited = 0;
    for (int i = 0; i < 25; i++) {
      AdminClient.Response response = challenge(start("busy-app", Pkce.create()));
      if (response.status() == 429) {
        limited++;
        assertEquals("slow_down", response.json().get("error").asText());
      } else {
        assertEquals("insufficient_authorization", response.json().get("error").asText());
      }
    }
    assertTrue(limited >= 4, "20 a minute, then 429: " + limited + " limited");
    assertEquals(
        "insufficient_authorization",
        challenge(start(TestRealm.TEST_CLIENT, Pkce.create())).json().get("error").asText(),
        "another app is not limited by it");
  }

  static void markFirstParty(String clientId) {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name() + "/clients";
    JsonNode client = admin.ok(admin.get(base + "?clientId=" + clientId)).get(0);
    ObjectNode updated = client.deepCopy();
    updated.with("attributes").put("passkeys.firstParty", "true");
    admin.ok(admin.put(base + "/" + client.get("id").asText(), updated));
  }
}
