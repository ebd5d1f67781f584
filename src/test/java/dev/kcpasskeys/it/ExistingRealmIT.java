package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.BuiltInWebAuthnPages;
import dev.kcpasskeys.it.support.FirstPartyApp;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Switching passkeys on in a realm that already has users (issue #17): the realm starts as Keycloak
 * creates it and gets its history through Keycloak's own admin API and flows before passkeys are
 * enabled: the admin's copy of the browser flow (WebAuthn second factor on, asked of one role
 * only), its own login and account themes, two-factor security keys ({@code webauthn}, with and
 * without user verification, registered by Keycloak's required action), users with a password and
 * OTP, and a user linked to an external identity provider (a second realm). Built-in passkeys of
 * every backup-flag combination are in {@code BuiltInCompatibilityIT}, LDAP users in {@code
 * LdapFederationIT}.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExistingRealmIT {

  @RegisterExtension static final TestRealm realm = TestRealm.withoutPasskeys();

  private static final Oidc oidc = new Oidc(realm);
  private static final String AUDITORS = "auditors";
  private static final String OTP_SECRET = "legacy-realm-otp-secret";
  private static SoftAuthenticator securityKey;
  private static SoftAuthenticator keyWithoutUserVerification;
  private static String keyOwner;

  private static JsonNode plan;

  /**
   * Before passkeys: the admin's own browser flow (a copy of Keycloak's with the WebAuthn second
   * factor switched on), Keycloak's own login page and its own two-factor WebAuthn registration.
   */
  @BeforeAll
  static void aRealmWithATwoFactorSecurityKey() {
    AdminClient admin = realm.admin();
    String flows = "/realms/" + realm.name() + "/authentication/flows";
    admin.ok(admin.post(flows + "/browser/copy", Map.of("newName", "my browser")));
    for (JsonNode execution : admin.ok(admin.get(flows + "/my%20browser/executions"))) {
      if ("webauthn-authenticator".equals(execution.path("providerId").asText())) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) execution)
            .put("requirement", "ALTERNATIVE");
        admin.ok(admin.put(flows + "/my%20browser/executions", execution));
      }
    }
    onlyForAuditors(admin, flows);
    admin.ok(
        admin.put(
            "/realms/" + realm.name(),
            Map.of(
                "browserFlow",
                "my browser",
                "loginTheme",
                "legacy-corp",
                "accountTheme",
                "legacy-corp")));
    keyOwner = realm.createUser("kim", "kim-password", "webauthn-register");
    securityKey = new SoftAuthenticator(realm.server().baseUrl()).attachment("cross-platform");
    registerTwoFactorKey("kim", securityKey, Tweaks.none(), "Kim's security key");
    assertEquals(
        "webauthn",
        realm.credentials(keyOwner).findValues("type").stream()
            .map(JsonNode::asText)
            .filter(t -> t.startsWith("webauthn"))
            .findFirst()
            .orElse(""));
    realm.createUser("kai", "kai-password", "webauthn-register");
    keyWithoutUserVerification =
        new SoftAuthenticator(realm.server().baseUrl()).attachment("cross-platform");
    registerTwoFactorKey(
        "kai", keyWithoutUserVerification, Tweaks.none().userVerified(false), "Kai's old key");
    createUserWithOtp("otto", true);
    createUserWithOtp("oscar", false);
    linkBrokeredUser(admin);

    plan = admin.ok(admin.get("/realms/" + realm.name() + "/passkeys/v1/settings/browser-flow"));
    realm.settings(Map.of("enabled", true));
    realm.grantApiScopeToTestClient();
  }

  /**
   * The admin's own step: the copied second-factor sub-flow asks only members of {@code auditors}
   * (Keycloak's "Condition - user role"). Kim and Kai are auditors, so their keys are asked for.
   */
  private static void onlyForAuditors(AdminClient admin, String flows) {
    admin.ok(admin.post("/realms/" + realm.name() + "/roles", Map.of("name", AUDITORS)));
    String twoFactor = null;
    for (JsonNode execution : admin.ok(admin.get(flows + "/my%20browser/executions"))) {
      if (execution.path("authenticationFlow").asBoolean()
          && execution.path("displayName").asText().contains("2FA")) {
        twoFactor = execution.path("displayName").asText();
      }
    }
    assertNotNull(twoFactor, "Keycloak's browser flow has a conditional 2FA sub-flow");
    String executions = flows + "/" + twoFactor.replace(" ", "%20") + "/executions";
    admin.ok(admin.post(executions + "/execution", Map.of("provider", "conditional-user-role")));
    for (JsonNode execution : admin.ok(admin.get(executions))) {
      if ("conditional-user-role".equals(execution.path("providerId").asText())) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) execution).put("requirement", "REQUIRED");
        admin.ok(admin.put(executions, execution));
        admin.ok(
            admin.post(
                "/realms/"
                    + realm.name()
                    + "/authentication/executions/"
                    + execution.path("id").asText()
                    + "/config",
                Map.of(
                    "alias",
                    "auditors only",
                    "config",
                    Map.of("condUserRole", AUDITORS, "negate", "false"))));
      }
    }
  }

  /**
   * Keycloak's own two-factor WebAuthn registration (its required action), with this authenticator.
   */
  private static void registerTwoFactorKey(
      String username, SoftAuthenticator key, Tweaks tweaks, String label) {
    grantRole(realm.userId(username), AUDITORS);
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result registration = login.passwordSignIn(username, username + "-password");
    assertTrue(
        BuiltInWebAuthnPages.isRegistrationPage(registration),
        "Keycloak's own page: " + registration);
    String response =
        key.register(
            BuiltInWebAuthnPages.creationOptions(registration, realm.server().baseUrl()), tweaks);
    assertNotNull(BuiltInWebAuthnPages.register(login, response, label).code());
  }

  /**
   * A user with a password and an authenticator app (OTP), as a realm export or the admin API has
   * them.
   */
  private static void createUserWithOtp(String username, boolean auditor) {
    String userId =
        realm.createUser(
            username,
            username + "-password",
            List.of(
                Map.of(
                    "type",
                    "otp",
                    "userLabel",
                    "Phone",
                    "secretData",
                    "{\"value\":\"" + OTP_SECRET + "\"}",
                    "credentialData",
                    "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,"
                        + "\"algorithm\":\"HmacSHA1\"}")));
    assertTrue(
        realm.credentials(userId).findValuesAsText("type").contains("otp"), username + "'s OTP");
    if (auditor) {
      grantRole(userId, AUDITORS);
    }
  }

  private static void grantRole(String userId, String role) {
    AdminClient admin = realm.admin();
    JsonNode roleRep = admin.ok(admin.get("/realms/" + realm.name() + "/roles/" + role));
    admin.ok(
        admin.post(
            "/realms/" + realm.name() + "/users/" + userId + "/role-mappings/realm",
            List.of(roleRep)));
  }

  /**
   * The current code of {@link #OTP_SECRET} (RFC 6238: HMAC-SHA1, 30 s, 6 digits; Keycloak keys it
   * with the raw secret).
   */
  private static String totp() {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              OTP_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
      byte[] hash =
          mac.doFinal(
              java.nio.ByteBuffer.allocate(8).putLong(System.currentTimeMillis() / 30_000).array());
      int offset = hash[hash.length - 1] & 0xf;
      int binary =
          ((hash[offset] & 0x7f) << 24)
              | ((hash[offset + 1] & 0xff) << 16)
              | ((hash[offset + 2] & 0xff) << 8)
              | (hash[offset + 3] & 0xff);
      return String.format("%06d", binary % 1_000_000);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A user who signs in through an external identity provider (a second realm of this server, over
   * OIDC) and is linked to it, as first-broker-login leaves users.
   */
  private static void linkBrokeredUser(AdminClient admin) {
    String base = "/realms/" + realm.name();
    realm.createExternalIdentityProvider("corp", corpRealm());
    admin.ok(
        admin.post(
            "/realms/" + corpRealm() + "/users",
            Map.of(
                "username",
                "bea",
                "enabled",
                true,
                "email",
                "bea@corp.test",
                "emailVerified",
                true,
                "firstName",
                "Bea",
                "lastName",
                "Broker",
                "credentials",
                List.of(
                    Map.of(
                        "type", "password", "value", "bea-corp-password", "temporary", false)))));
    String beaAtCorp =
        admin
            .ok(admin.get("/realms/" + corpRealm() + "/users?exact=true&username=bea"))
            .get(0)
            .path("id")
            .asText();
    admin.ok(
        admin.post(
            base + "/users",
            Map.of(
                "username",
                "bea",
                "enabled",
                true,
                "email",
                "bea@corp.test",
                "emailVerified",
                true,
                "firstName",
                "Bea",
                "lastName",
                "Broker")));
    admin.ok(
        admin.post(
            base + "/users/" + realm.userId("bea") + "/federated-identity/corp",
            Map.of("identityProvider", "corp", "userId", beaAtCorp, "userName", "bea")));
  }

  private static String corpRealm() {
    return realm.name() + "-corp";
  }

  @AfterAll
  static void deleteTheIdentityProvidersRealm() {
    realm.admin().delete("/realms/" + corpRealm());
  }

  /**
   * The dry run said what enabling would do; enabling then did exactly that, and kept the admin's
   * steps.
   */
  @Test
  @Order(0)
  void enablingBuildsThePasskeysFlowFromTheRealmsOwnBrowserFlowAsTheDryRunShowed() {
    assertEquals("my browser", plan.path("source_flow").asText(), plan.toString());
    assertTrue(plan.path("ready").asBoolean(), plan.toString());
    assertFalse(plan.path("installed").asBoolean(), "a dry run writes nothing");
    List<String> planned = new ArrayList<>();
    plan.path("steps")
        .forEach(
            step -> {
              if ("authenticator".equals(step.path("kind").asText())) {
                planned.add(step.path("step").asText() + " " + step.path("requirement").asText());
              }
            });
    assertTrue(planned.contains("passkey-login REQUIRED"), planned.toString());
    assertFalse(planned.toString().contains("auth-username-password-form"), planned.toString());
    assertTrue(
        planned.contains("webauthn-authenticator ALTERNATIVE"),
        "the admin's second factor stays: " + planned);
    assertTrue(
        planned.contains("auth-cookie ALTERNATIVE")
            && planned.contains("identity-provider-redirector ALTERNATIVE"),
        planned.toString());
    assertTrue(planned.contains("passkey-condition-password-sign-in REQUIRED"), planned.toString());

    AdminClient admin = realm.admin();
    JsonNode settings = realm.settings(Map.of());
    assertEquals("passkeys browser", settings.path("browser_flow").asText());
    List<String> installed = new ArrayList<>();
    admin
        .ok(
            admin.get(
                "/realms/" + realm.name() + "/authentication/flows/passkeys%20browser/executions"))
        .forEach(
            e -> {
              if (!e.path("authenticationFlow").asBoolean()) {
                installed.add(e.path("providerId").asText() + " " + e.path("requirement").asText());
              }
            });
    assertEquals(planned, installed, "what was planned is what was installed");

    // Disabling puts the admin's flow back.
    realm.settings(Map.of("enabled", false));
    try {
      assertEquals(
          "my browser",
          admin.ok(admin.get("/realms/" + realm.name())).path("browserFlow").asText());
    } finally {
      realm.settings(Map.of("enabled", true));
    }
  }

  /**
   * A browser flow the passkey page cannot join without losing a step is refused, and nothing
   * changes.
   */
  @Test
  @Order(6)
  void aFlowWithoutAUsernamePasswordFormIsRefusedWithTheReasonAndNothingChanges() {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name();
    realm.settings(Map.of("enabled", false));
    realm.createFlow("identity first", "auth-username-form", "auth-password-form");
    admin.ok(admin.put(base, Map.of("browserFlow", "identity first")));
    String passkeysFlowId = realm.flowId("passkeys browser").orElseThrow();
    admin.ok(admin.delete(base + "/authentication/flows/" + passkeysFlowId));
    try {
      JsonNode dryRun = admin.ok(admin.get(base + "/passkeys/v1/settings/browser-flow"));
      assertFalse(dryRun.path("ready").asBoolean(), dryRun.toString());
      assertTrue(
          dryRun.path("problem").asText().contains("Username Password Form"), dryRun.toString());
      AdminClient.Response refused =
          admin.put(base + "/passkeys/v1/settings", Map.of("enabled", true));
      assertEquals(400, refused.status(), refused.body());
      assertEquals("browser_flow_not_supported", refused.json().path("error").asText());
      assertEquals(
          "identity first",
          admin.ok(admin.get(base)).path("browserFlow").asText(),
          "nothing changed");
      assertFalse(realm.settings(Map.of()).path("enabled").asBoolean());
      assertTrue(realm.flowId("passkeys browser").isEmpty(), "no flow was written");
    } finally {
      admin.ok(admin.put(base, Map.of("browserFlow", "my browser")));
      realm.settings(Map.of("enabled", true));
    }
  }

  /**
   * Organizations: an e-mail of an organization's domain typed on the passkey page goes to the
   * organization's identity provider (a second realm of the same server), as Keycloak's
   * Organization step sends it; a user of that domain who has a password of this realm signs in
   * here; the page keeps autofill.
   */
  @Test
  @Order(7)
  void anOrganizationsEmailTypedOnThePasskeyPageGoesToItsIdentityProvider() {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name();
    String server = realm.server().baseUrl();
    String idpRealm = realm.name() + "-acme";
    realm.createExternalIdentityProvider("acme", idpRealm);
    try {
      admin.ok(admin.put(base, Map.of("organizationsEnabled", true)));
      admin.ok(
          admin.post(
              base + "/organizations",
              Map.of(
                  "name",
                  "Acme",
                  "alias",
                  "acme",
                  "enabled",
                  true,
                  "domains",
                  List.of(Map.of("name", "acme.test")))));
      String orgId =
          admin.ok(admin.get(base + "/organizations?search=Acme")).get(0).path("id").asText();
      admin.ok(admin.post(base + "/organizations/" + orgId + "/identity-providers", "\"acme\""));
      com.fasterxml.jackson.databind.node.ObjectNode idp =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              admin.ok(admin.get(base + "/identity-provider/instances/acme"));
      ((com.fasterxml.jackson.databind.node.ObjectNode) idp.with("config"))
          .put("kc.org.domain", "acme.test")
          .put("kc.org.broker.redirect.mode.email-matches", "true");
      admin.ok(admin.put(base + "/identity-provider/instances/acme", idp));
      realm.createUser("local", "local-password");
      realm.updateUser(realm.userId("local"), Map.of("email", "local@acme.test"));

      HttpLogin login = new HttpLogin(server);
      HttpLogin.Result page = login.open(oidc.authorizationUrl());
      assertTrue(page.isLoginPage(), "the passkey page is the first page: " + page);
      assertTrue(
          page.html().contains("autocomplete=\"username webauthn\""), "with passkey autofill");
      HttpLogin.Result routed = login.passwordSignIn("new.person@acme.test", "");
      assertTrue(
          routed.url().getPath().startsWith("/realms/" + idpRealm + "/"),
          "at the organization's identity provider: " + routed.url());
      assertTrue(routed.formAction("kc-form-login").isPresent(), "its sign-in page: " + routed);

      HttpLogin member = new HttpLogin(server);
      member.open(oidc.authorizationUrl());
      assertNotNull(
          member.passwordSignIn("local@acme.test", "local-password").code(),
          "a user with a password of this realm signs in here");

      // The switched-off Organization step does not send first-party apps to the browser.
      AdminClient.Response started =
          FirstPartyApp.create(realm, "org-app").start(FirstPartyApp.Pkce.create());
      assertEquals(
          "insufficient_authorization", started.json().path("error").asText(), started.body());
    } finally {
      admin.delete("/realms/" + idpRealm);
      admin.put(base, Map.of("organizationsEnabled", false));
    }
  }

  /**
   * Changes Keycloak makes itself stay consistent: a passkey deleted in the admin console's
   * Credentials tab leaves no metadata, last use or index entry behind, and the login page tells
   * the browser to forget it; a passkey Keycloak's own required action registers is in the
   * uniqueness index at once.
   */
  @Test
  @Order(8)
  void passkeysAddedOrDeletedByKeycloakItselfKeepTheExtensionsRecordsInStep() {
    realm.editUserProfile(profile -> profile.put("unmanagedAttributePolicy", "ADMIN_VIEW"));
    String userId = realm.createUser("olga", "olga-password", "passkey-register");
    SoftAuthenticator olgas = new SoftAuthenticator(realm.server().baseUrl());
    HttpLogin registration = new HttpLogin(realm.server().baseUrl());
    registration.open(oidc.authorizationUrl());
    HttpLogin.Result page = registration.passwordSignIn("olga", "olga-password");
    assertNotNull(registration.register("Olga's key", olgas.register(page.options())).code());
    String passkeyId = realm.passkeys(userId).get(0).path("id").asText();
    String hash = dev.kcpasskeys.credential.PasskeyStore.indexValue(olgas.lastCredential().id());
    JsonNode attributes = attributes(userId);
    assertTrue(attributes.has("passkeys.meta." + passkeyId), attributes.toString());
    assertTrue(
        attributes.path("passkeys.credential-id").toString().contains(hash), attributes.toString());

    realm.deleteCredential(userId, passkeyId);
    attributes = attributes(userId);
    assertFalse(attributes.has("passkeys.meta." + passkeyId), attributes.toString());
    assertFalse(attributes.has("passkeys.used." + passkeyId), attributes.toString());
    assertFalse(
        attributes.path("passkeys.credential-id").toString().contains(hash), attributes.toString());
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result loginPage = login.open(oidc.authorizationUrl());
    HttpLogin.Result refused =
        login.passkeySignIn(olgas.authenticate(loginPage.options()), "button");
    assertNull(refused.code());
    assertTrue(
        refused
            .html()
            .contains("data-unknown-credential=\"" + olgas.lastCredential().idBase64Url() + "\""),
        "the browser may forget the deleted passkey");

    String bertId = realm.createUser("bert", "bert-password", "webauthn-register-passwordless");
    SoftAuthenticator berts = new SoftAuthenticator(realm.server().baseUrl());
    HttpLogin builtIn = new HttpLogin(realm.server().baseUrl());
    builtIn.open(oidc.authorizationUrl());
    HttpLogin.Result keycloaksPage = builtIn.passwordSignIn("bert", "bert-password");
    assertTrue(BuiltInWebAuthnPages.isRegistrationPage(keycloaksPage), keycloaksPage.toString());
    assertNotNull(
        BuiltInWebAuthnPages.register(
                builtIn,
                berts.register(
                    BuiltInWebAuthnPages.creationOptions(keycloaksPage, realm.server().baseUrl())),
                "Bert's key")
            .code());
    assertTrue(
        attributes(bertId)
            .path("passkeys.credential-id")
            .toString()
            .contains(
                dev.kcpasskeys.credential.PasskeyStore.indexValue(berts.lastCredential().id())),
        "no one can register Bert's credential ID again: " + attributes(bertId));
  }

  /**
   * Credential IDs are unique across every WebAuthn credential of the realm, checked in the
   * database: Kim's security key was registered by Keycloak before passkeys were enabled (so it is
   * in no index of ours), and another user still cannot register a passkey with its credential ID.
   */
  @Test
  @Order(9)
  void aCredentialIdThatKeycloakRegisteredCannotBeRegisteredAgainAsAPasskey() {
    realm.createUser("copycat", "copycat-password");
    ApiClient copycat =
        new ApiClient(
            realm, ApiClient.userToken(realm, "copycat", "copycat-password", "openid passkeys"));
    AdminClient.Response started = copycat.post("", "{}");
    assertEquals(200, started.status(), started.body());
    String response =
        new SoftAuthenticator(realm.server().baseUrl())
            .register(
                started.json().get("publicKey").toString(),
                dev.kcpasskeys.testing.Tweaks.none()
                    .registeredCredentialId(securityKey.lastCredential().id()));
    AdminClient.Response refused =
        copycat.post(
            "/" + started.json().get("id").asText() + "/attempt_verification",
            "{\"credential\":" + response + "}");
    assertEquals(409, refused.status(), refused.body());
    assertTrue(refused.body().contains("credential_id_taken"), refused.body());
    assertEquals(0, realm.passkeys(realm.userId("copycat")).size(), "nothing was saved");
  }

  /**
   * Origins come from Keycloak's frontend URL for the realm, never from headers the caller chose:
   * with a forged X-Forwarded-Host and Forwarded, the page still offers the server's own RP ID, and
   * an assertion made for the forged origin is refused. The settings API warns while no hostname is
   * fixed (as on this test server); a frontend URL fixes it.
   */
  @Test
  @Order(10)
  void originsComeFromKeycloaksHostnameNeverFromForwardedHeaders() {
    realm.createUser("hugo", "hugo-password");
    SoftAuthenticator hugos = new SoftAuthenticator(realm.server().baseUrl());
    new ApiClient(realm, ApiClient.userToken(realm, "hugo", "hugo-password", "openid passkeys"))
        .register(hugos, "Hugo's key");
    String host = java.net.URI.create(realm.server().baseUrl()).getHost();

    HttpLogin forged =
        new HttpLogin(realm.server().baseUrl())
            .withHeader("X-Forwarded-Host", "evil.example")
            .withHeader("X-Forwarded-Proto", "https")
            .withHeader("Forwarded", "host=evil.example;proto=https");
    HttpLogin.Result page = forged.open(oidc.authorizationUrl());
    assertTrue(page.options().contains("\"rpId\":\"" + host + "\""), page.options());
    HttpLogin.Result refused =
        forged.passkeySignIn(
            hugos.authenticate(
                page.options(),
                dev.kcpasskeys.testing.Tweaks.none().origin("https://evil.example")),
            "button");
    assertNull(refused.code(), refused.toString());
    assertEquals(
        "ORIGIN_MISMATCH", realm.events("LOGIN_ERROR").path(0).at("/details/reason").asText());

    assertTrue(
        realm.settings(Map.of()).path("warnings").toString().contains("hostname is not fixed"),
        realm.settings(Map.of()).toString());
    setFrontendUrl(realm.server().baseUrl());
    try {
      assertEquals(
          0, realm.settings(Map.of()).path("warnings").size(), "a frontend URL fixes the origin");
    } finally {
      setFrontendUrl("");
    }
  }

  private static void setFrontendUrl(String url) {
    AdminClient admin = realm.admin();
    com.fasterxml.jackson.databind.node.ObjectNode rep =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            admin.ok(admin.get("/realms/" + realm.name()));
    ((com.fasterxml.jackson.databind.node.ObjectNode) rep.with("attributes"))
        .put("frontendUrl", url);
    admin.ok(admin.put("/realms/" + realm.name(), rep));
  }

  /**
   * The extension's records cannot be written by users: with the user profile's unmanaged
   * attributes "Enabled", the account API would let a user rewrite them (for example to claim user
   * verification a passkey never had). Keycloak's read-only-attributes option (on this test server,
   * as the README asks of production) refuses that, and the settings API stays quiet about it.
   */
  @Test
  @Order(11)
  void usersCannotWriteTheExtensionsRecordsThroughTheAccountApi() throws Exception {
    realm.editUserProfile(profile -> profile.put("unmanagedAttributePolicy", "ENABLED"));
    try {
      String userId = realm.userId("amy");
      JsonNode before = attributes(userId);
      String metaKey = null;
      for (java.util.Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.startsWith("passkeys.meta.")) {
          metaKey = name;
        }
      }
      assertNotNull(metaKey, before.toString());
      String token = ApiClient.userToken(realm, "amy", "amy-password", "openid");
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI account = java.net.URI.create(realm.realmUrl() + "/account/");
      JsonNode me =
          AdminClient.JSON.readTree(
              http.send(
                      java.net.http.HttpRequest.newBuilder(account)
                          .header("Accept", "application/json")
                          .header("Authorization", "Bearer " + token)
                          .GET()
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofString())
                  .body());
      com.fasterxml.jackson.databind.node.ObjectNode tampered =
          (com.fasterxml.jackson.databind.node.ObjectNode) me;
      tampered
          .with("attributes")
          .putArray(metaKey)
          .add("{\"v\":2,\"be\":false,\"bs\":false,\"uv\":true,\"lu\":0,\"src\":\"page\"}");
      java.net.http.HttpResponse<String> written =
          http.send(
              java.net.http.HttpRequest.newBuilder(account)
                  .header("Content-Type", "application/json")
                  .header("Accept", "application/json")
                  .header("Authorization", "Bearer " + token)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(tampered.toString()))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(400, written.statusCode(), written.body());
      assertEquals(
          before.path(metaKey), attributes(userId).path(metaKey), "the record is unchanged");
      assertFalse(
          realm.settings(Map.of()).path("warnings").toString().contains("unmanaged attributes"),
          "the server has the option, so no warning");
    } finally {
      realm.editUserProfile(profile -> profile.put("unmanagedAttributePolicy", "ADMIN_VIEW"));
    }
  }

  /**
   * The admin's "auditors only" step stays: auditors give their OTP code after a password; others
   * are not asked.
   */
  @Test
  @Order(12)
  void theAdminsRoleConditionalSecondFactorStillAsksAuditorsForTheirCodeAfterAPassword() {
    assertTrue(
        plan.toString().contains("conditional-user-role"), "the dry run kept the step: " + plan);
    HttpLogin otto = new HttpLogin(realm.server().baseUrl());
    otto.open(oidc.authorizationUrl());
    HttpLogin.Result otpPage = otto.passwordSignIn("otto", "otto-password");
    String action =
        otpPage
            .formAction("kc-otp-login-form")
            .orElseThrow(() -> new AssertionError("Keycloak's OTP page: " + otpPage));
    HttpLogin.Result done = otto.post(action, Map.of("otp", totp()));
    assertNotNull(done.code(), done.toString());
    JsonNode amr = Oidc.claims(oidc.exchange(done.code()).get("id_token").asText()).path("amr");
    assertTrue(amr.toString().contains("\"pwd\",\"otp\",\"mfa\""), "a password and a code: " + amr);

    HttpLogin oscar = new HttpLogin(realm.server().baseUrl());
    oscar.open(oidc.authorizationUrl());
    assertNotNull(
        oscar.passwordSignIn("oscar", "oscar-password").code(),
        "not an auditor: no second factor asked");
  }

  /**
   * A two-factor key registered without user verification is never a passkey, not even when the
   * admin lets two-factor keys sign in on their own; after the password it works as before.
   */
  @Test
  @Order(13)
  void aTwoFactorKeyWithoutUserVerificationNeverSignsInOnItsOwnButStillWorksAfterThePassword() {
    realm.settings(Map.of("two_factor_keys_sign_in", true));
    try {
      HttpLogin login = new HttpLogin(realm.server().baseUrl());
      HttpLogin.Result page = login.open(oidc.authorizationUrl());
      HttpLogin.Result refused =
          login.passkeySignIn(
              keyWithoutUserVerification.authenticate(
                  page.options(), Tweaks.none().userVerified(false)),
              "button");
      assertNull(refused.code(), "a key without user verification is one factor: " + refused);
    } finally {
      realm.settings(Map.of("two_factor_keys_sign_in", false));
    }
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result secondStep = login.passwordSignIn("kai", "kai-password");
    assertTrue(
        BuiltInWebAuthnPages.isSignInPage(secondStep), "Keycloak's WebAuthn step: " + secondStep);
    HttpLogin.Result done =
        BuiltInWebAuthnPages.signIn(
            login,
            keyWithoutUserVerification.authenticate(
                BuiltInWebAuthnPages.requestOptions(secondStep, realm.server().baseUrl()),
                Tweaks.none().userVerified(false)));
    assertNotNull(done.code(), done.toString());
  }

  /**
   * Bea is linked to the corp identity provider: Keycloak's redirector ({@code kc_idp_hint}) and
   * broker still sign her in.
   */
  @Test
  @Order(14)
  void aBrokeredUserStillSignsInThroughHerIdentityProvider() {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result atCorp = login.open(oidc.authorizationUrl(Map.of("kc_idp_hint", "corp")));
    assertTrue(
        atCorp.url().getPath().startsWith("/realms/" + corpRealm() + "/"),
        "at the identity provider: " + atCorp);
    HttpLogin.Result back =
        login.post(
            atCorp.formAction("kc-form-login").orElseThrow(),
            Map.of("username", "bea", "password", "bea-corp-password"));
    assertNotNull(back.code(), back.toString());
    assertEquals(
        realm.userId("bea"),
        Oidc.claims(oidc.exchange(back.code()).get("id_token").asText()).path("sub").asText());
  }

  /**
   * The realm's own login and account themes stay, and the passkey page is drawn in the realm's
   * login theme.
   */
  @Test
  @Order(15)
  void theRealmsOwnLoginAndAccountThemesAreKept() {
    JsonNode settings = realm.admin().ok(realm.admin().get("/realms/" + realm.name()));
    assertEquals("legacy-corp", settings.path("loginTheme").asText());
    assertEquals(
        "legacy-corp",
        settings.path("accountTheme").asText(),
        "enabling switches only Keycloak's default");
    HttpLogin.Result page = new HttpLogin(realm.server().baseUrl()).open(oidc.authorizationUrl());
    assertTrue(
        page.isLoginPage() && page.html().contains("autocomplete=\"username webauthn\""),
        page.toString());
    assertTrue(
        page.html().contains("/legacy-corp/css/legacy-corp.css"),
        "drawn with the realm's login theme");
  }

  private static JsonNode attributes(String userId) {
    return realm.adminGet("/users/" + userId).path("attributes");
  }

  @Test
  @Order(1)
  void aTwoFactorSecurityKeyNeverSignsInWithoutThePasswordByDefault() {
    assertEquals(
        false,
        realm.settings(Map.of()).path("two_factor_keys_sign_in").asBoolean(true),
        "off by default");
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = login.open(oidc.authorizationUrl());
    assertTrue(page.isLoginPage(), page.toString());
    HttpLogin.Result refused =
        login.passkeySignIn(securityKey.authenticate(page.options()), "button");
    assertNull(refused.code(), "a second factor alone signs no one in: " + refused);
    assertEquals(
        "This passkey could not be used to sign in. Try another passkey or sign in another way.",
        refused.error());
    assertTrue(
        refused.html().contains("data-unknown-credential=\"\""),
        "the page never tells the browser to forget someone's security key");
    JsonNode event = realm.events("LOGIN_ERROR").path(0);
    assertEquals("UNKNOWN_CREDENTIAL", event.at("/details/reason").asText(), event.toString());
    assertTrue(
        event.path("userId").isMissingNode(), "an unverified response names no user: " + event);
  }

  @Test
  @Order(2)
  void aTwoFactorSecurityKeyStillWorksAsTheSecondStepAfterThePassword() {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(oidc.authorizationUrl());
    HttpLogin.Result secondStep = login.passwordSignIn("kim", "kim-password");
    assertTrue(
        BuiltInWebAuthnPages.isSignInPage(secondStep),
        "Keycloak's WebAuthn step after the password: " + secondStep);
    HttpLogin.Result done =
        BuiltInWebAuthnPages.signIn(
            login,
            securityKey.authenticate(
                BuiltInWebAuthnPages.requestOptions(secondStep, realm.server().baseUrl())));
    assertNotNull(done.code(), done.toString());
    JsonNode amr = Oidc.claims(oidc.exchange(done.code()).get("id_token").asText()).path("amr");
    assertTrue(
        amr.toString().contains("\"pwd\"") && amr.toString().contains("\"mfa\""),
        "password and key: " + amr);
  }

  @Test
  @Order(3)
  void usersCannotRenameOrDeleteATwoFactorKeyHereButAdminsCanSeeIt() {
    ApiClient kim =
        new ApiClient(realm, ApiClient.userToken(realm, "kim", "kim-password", "openid passkeys"));
    JsonNode listed = kim.get("").json().path("passkeys");
    assertEquals(1, listed.size(), listed.toString());
    assertEquals("webauthn", listed.get(0).path("type").asText());
    String id = listed.get(0).path("id").asText();
    AdminClient.Response rename = kim.patch("/" + id, "{\"name\":\"Renamed\"}");
    assertEquals(403, rename.status(), rename.body());
    assertEquals("two_factor_key", rename.json().path("error").asText());
    AdminClient.Response delete = kim.delete("/" + id);
    assertEquals(403, delete.status(), delete.body());
    assertEquals("two_factor_key", delete.json().path("error").asText());
    assertEquals(
        "Kim's security key",
        realm.credentials(keyOwner).findValues("userLabel").stream()
            .map(JsonNode::asText)
            .filter(l -> l.contains("security"))
            .findFirst()
            .orElse(""),
        "nothing changed");
  }

  @Test
  @Order(4)
  void anAdminMayLetTwoFactorKeysSignInOnTheirOwn() {
    assertTrue(
        realm
            .settings(Map.of("two_factor_keys_sign_in", true))
            .path("two_factor_keys_sign_in")
            .asBoolean());
    try {
      HttpLogin login = new HttpLogin(realm.server().baseUrl());
      HttpLogin.Result page = login.open(oidc.authorizationUrl());
      HttpLogin.Result signedIn =
          login.passkeySignIn(securityKey.authenticate(page.options()), "button");
      assertNotNull(signedIn.code(), signedIn.toString());
      assertEquals(
          keyOwner,
          Oidc.claims(oidc.exchange(signedIn.code()).get("id_token").asText())
              .path("sub")
              .asText());
      assertEquals(
          "webauthn",
          realm.events("LOGIN", keyOwner).path(0).at("/details/credential_type").asText());
    } finally {
      realm.settings(Map.of("two_factor_keys_sign_in", false));
    }
  }

  /**
   * The test client was created without an amr mapper: enabling gave it (and every app) the claim.
   */
  @Test
  @Order(5)
  void enablingGivesEveryAppTheAmrClaimAndDisablingRemovesOnlyThat() {
    assertTrue(realm.settings(Map.of()).path("amr_claim").asBoolean(), "on by default");
    String user = realm.createUser("amy", "amy-password", "passkey-register");
    SoftAuthenticator amys = new SoftAuthenticator(realm.server().baseUrl());
    HttpLogin registration = new HttpLogin(realm.server().baseUrl());
    registration.open(oidc.authorizationUrl());
    HttpLogin.Result registerPage = registration.passwordSignIn("amy", "amy-password");
    assertNotNull(
        registration.register("Amy's passkey", amys.register(registerPage.options())).code());
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = login.open(oidc.authorizationUrl());
    String code = login.passkeySignIn(amys.authenticate(page.options()), "button").code();
    JsonNode claims = Oidc.claims(oidc.exchange(code).get("id_token").asText());
    assertEquals(user, claims.path("sub").asText());
    assertTrue(
        claims.path("amr").toString().contains("\"user\""),
        "one amr with the passkey's values: " + claims);
    assertTrue(
        clientScopes("account-console").contains("passkeys-amr"),
        "every app has it, Keycloak's own too");
    assertTrue(realmDefaultScopes().contains("passkeys-amr"), "apps created later get it");

    // This realm has its own account theme, which enabling keeps (test 15); on Keycloak's default
    // one
    // enabling adds the Passkeys entry, and disabling gives the default back.
    String realmPath = "/realms/" + realm.name();
    realm.admin().ok(realm.admin().put(realmPath, Map.of("accountTheme", "")));
    realm.settings(Map.of("enabled", true));
    assertEquals(
        "passkeys",
        realm.admin().ok(realm.admin().get(realmPath)).path("accountTheme").asText(),
        "Keycloak's default account console got the Passkeys entry");
    realm.settings(Map.of("enabled", false));
    try {
      assertEquals(
          "",
          realm.admin().ok(realm.admin().get(realmPath)).path("accountTheme").asText(""),
          "and gave it back");
      assertFalse(clientScopes(TestRealm.TEST_CLIENT).contains("passkeys-amr"));
      assertFalse(realmDefaultScopes().contains("passkeys-amr"));
      assertTrue(
          clientScopes(TestRealm.TEST_CLIENT).contains("profile"),
          "what Keycloak gave the app stays");
      assertTrue(
          clientScopes(TestRealm.TEST_CLIENT).contains("passkeys")
              || optionalScopes().contains("passkeys"),
          "the API scope the admin granted stays");
    } finally {
      realm.settings(Map.of("enabled", true));
      realm.admin().ok(realm.admin().put(realmPath, Map.of("accountTheme", "legacy-corp")));
    }
    assertTrue(clientScopes(TestRealm.TEST_CLIENT).contains("passkeys-amr"), "enabled again");

    realm.settings(Map.of("amr_claim", false));
    try {
      assertFalse(
          clientScopes(TestRealm.TEST_CLIENT).contains("passkeys-amr"), "the setting turns it off");
    } finally {
      realm.settings(Map.of("amr_claim", true));
    }
  }

  private static List<String> clientScopes(String clientId) {
    AdminClient admin = realm.admin();
    String id =
        admin
            .ok(admin.get("/realms/" + realm.name() + "/clients?clientId=" + clientId))
            .get(0)
            .get("id")
            .asText();
    return names(
        admin.ok(
            admin.get("/realms/" + realm.name() + "/clients/" + id + "/default-client-scopes")));
  }

  private static List<String> optionalScopes() {
    AdminClient admin = realm.admin();
    String id =
        admin
            .ok(admin.get("/realms/" + realm.name() + "/clients?clientId=" + TestRealm.TEST_CLIENT))
            .get(0)
            .get("id")
            .asText();
    return names(
        admin.ok(
            admin.get("/realms/" + realm.name() + "/clients/" + id + "/optional-client-scopes")));
  }

  private static List<String> realmDefaultScopes() {
    return names(realm.adminGet("/default-default-client-scopes"));
  }

  private static List<String> names(JsonNode scopes) {
    List<String> names = new ArrayList<>();
    scopes.forEach(s -> names.add(s.path("name").asText()));
    return names;
  }
}
