package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.it.support.TlsHosts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Related Origin Requests (WebAuthn L3 §5.11) in Chromium, across three sites: the RP ID {@code
 * example.com} (whose web server is not Keycloak and forwards {@code /.well-known/webauthn} to the
 * realm's document), Keycloak at {@code login.example.com}, and an app at {@code app.example.org}
 * that registers and signs in with passkeys.js. Chromium resolves all three to a local HTTPS server
 * and trusts its certificate by its public key.
 */
@ExtendWith(KeycloakExtension.class)
class RelatedOriginsIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private static final String APP = "https://app.example.org";
  private static final String ISSUER_HOST = "https://login.example.com";
  private static TlsHosts hosts;

  @BeforeAll
  static void threeSites() throws Exception {
    hosts = new TlsHosts(List.of("example.com", "login.example.com", "app.example.org"));
    hosts.proxy("login.example.com", realm.server().baseUrl());
    hosts.forward(
        "example.com",
        "/.well-known/webauthn",
        realm.realmUrl() + "/passkeys/v1/webauthn"); // the RP host's reverse-proxy rule
    hosts.page("app.example.org", "/", "text/html", "<!doctype html><title>Example app</title>");
    AdminClient admin = realm.admin();
    admin.ok(
        admin.put(
            "/realms/" + realm.name(), Map.of("attributes", Map.of("frontendUrl", ISSUER_HOST))));
    realm.settings(Map.of("rp_id", "example.com", "origins", List.of(APP)));
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("clientId", "example-app");
    client.put("enabled", true);
    client.put("publicClient", true);
    client.put("standardFlowEnabled", true);
    client.put("directAccessGrantsEnabled", true);
    client.put("redirectUris", List.of(APP + "/*"));
    client.put("webOrigins", List.of(APP));
    client.put("attributes", Map.of("passkeys.firstParty", "true"));
    client.put("optionalClientScopes", List.of("passkeys"));
    admin.ok(admin.post("/realms/" + realm.name() + "/clients", client));
  }

  @AfterAll
  static void close() {
    if (hosts != null) {
      hosts.close();
    }
  }

  private static String issuer() {
    return ISSUER_HOST + "/realms/" + realm.name();
  }

  /** Runs one passkeys.js function on the app's page; its result, or the error's code. */
  private static JsonNode run(Browser browser, String call, Object... args) throws Exception {
    Object answer =
        browser.asyncScript(
            "const [sdk, issuer, arg] = arguments;"
                + " const done = arguments[arguments.length - 1];"
                + " import(sdk).then((m) => "
                + call
                + ")"
                + "  .then((result) => done(JSON.stringify({ result })),"
                + "        (e) => done(JSON.stringify({ code: e.code, message: e.message })));",
            issuer() + "/passkeys/v1/passkeys.js",
            issuer(),
            args.length == 0 ? "" : args[0]);
    return AdminClient.JSON.readTree(answer.toString());
  }

  @Test
  void anAppOnARelatedOriginRegistersAndSignsInWithTheRealmsPasskeys() throws Exception {
    String userId = realm.createUser("rosa", "rosa-password");
    AdminClient.Response token =
        new ApiClient(realm, null)
            .postFormTo(
                realm.realmUrl() + "/protocol/openid-connect/token",
                Map.of(
                    "grant_type", "password",
                    "client_id", "example-app",
                    "username", "rosa",
                    "password", "rosa-password",
                    "scope", "openid passkeys"));
    assertEquals(200, token.status(), token.body());
    Browser browser = Browser.start(hosts.chromiumArguments());
    try {
      browser.addPlatformAuthenticator();
      browser.open(APP + "/");
      JsonNode created =
          run(
              browser,
              "m.createPasskey({ issuer, accessToken: arg, name: 'From the app' })",
              token.json().get("access_token").asText());
      assertEquals("From the app", created.at("/result/name").asText(), created.toString());
      assertTrue(
          hosts.wasRequested("example.com", "/.well-known/webauthn"),
          "Chromium asked the RP ID's host which origins are related");

      JsonNode signedIn = run(browser, "m.signInWithPasskey({ issuer, clientId: 'example-app' })");
      JsonNode claims = Oidc.claims(signedIn.at("/result/id_token").asText());
      assertEquals(userId, claims.get("sub").asText(), signedIn.toString());
      assertEquals(issuer(), claims.get("iss").asText());
      JsonNode login = realm.events("LOGIN", userId).get(0);
      assertEquals("first-party", login.at("/details/passkey_path").asText(), login.toString());
    } finally {
      browser.close();
    }
  }

  @Test
  void anOriginTheDocumentDoesNotListIsRefusedByTheBrowser() throws Exception {
    realm.settings(Map.of("origins", List.of()));
    Browser browser = Browser.start(hosts.chromiumArguments());
    try {
      browser.addPlatformAuthenticator();
      browser.open(APP + "/");
      JsonNode refused = run(browser, "m.signInWithPasskey({ issuer, clientId: 'example-app' })");
      assertEquals("security", refused.get("code").asText(), refused.toString());
    } finally {
      browser.close();
      realm.settings(Map.of("origins", List.of(APP)));
    }
  }
}
