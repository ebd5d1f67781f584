package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The app API with the user's bearer token, and the admin API, against the real server. */
@ExtendWith(KeycloakExtension.class)
class PasskeysApiIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  static String aliceId;
  static ApiClient alice;
  static SoftAuthenticator aliceDevice;
  static JsonNode alicePasskey;

  @BeforeAll
  static void aliceHasAPasskeyRegisteredOverTheApi() {
    aliceId = realm.createUser("alice", "alice-password");
    alice =
        new ApiClient(
            realm, ApiClient.userToken(realm, "alice", "alice-password", "openid passkeys"));
    aliceDevice = new SoftAuthenticator(realm.server().baseUrl());
    alicePasskey = alice.register(aliceDevice, "Alice's laptop");
    // From now on Alice has a passkey: adding and deleting need a session that used one.
    alice = new ApiClient(realm, ApiClient.passkeyToken(realm, aliceDevice, "openid passkeys"));
  }

  @Nested
  class Registration {
    @Test
    void returnsTheNewPasskeyInTheDocumentedShape() {
      assertEquals("Alice's laptop", alicePasskey.get("name").asText());
      for (String field :
          List.of(
              "id",
              "provider",
              "created_at",
              "last_used_at",
              "synced",
              "backup_eligible",
              "transports")) {
        assertTrue(alicePasskey.has(field), field + " in " + alicePasskey);
      }
      assertTrue(
          alicePasskey.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "RFC 3339");
      assertFalse(alicePasskey.toString().contains("publicKey"), "no key material");
      assertEquals("webauthn-passwordless", alicePasskey.get("type").asText());
    }

    @Test
    void aPendingRegistrationIsSingleUse() {
      AdminClient.Response started = alice.post("", "{}");
      String id = started.json().get("id").asText();
      String credential =
          new SoftAuthenticator(realm.server().baseUrl())
              .register(started.json().get("publicKey").toString());
      String body = "{\"credential\":" + credential + "}";
      assertEquals(200, alice.post("/" + id + "/attempt_verification", body).status());
      AdminClient.Response replay = alice.post("/" + id + "/attempt_verification", body);
      assertEquals(404, replay.status(), replay.body());
      assertEquals("not_found", replay.json().get("error").asText());
    }

    /**
     * Issue #20: the body is read strictly, so the response the ceremony verifies is exactly the
     * one sent; a key given twice (in the credential or around it) is refused before any
     * verification, nothing is stored, and the pending registration is still there for a proper
     * attempt.
     */
    @Test
    void aKeyGivenTwiceIsRefusedBeforeVerification() {
      int before = alice.get("").json().get("passkeys").size();
      AdminClient.Response started = alice.post("", "{}");
      String id = started.json().get("id").asText();
      String credential =
          new SoftAuthenticator(realm.server().baseUrl())
              .register(started.json().get("publicKey").toString());
      String twiceInside = credential.replaceFirst("\\{", "{\"type\":\"public-key\",");
      AdminClient.Response refused =
          alice.post("/" + id + "/attempt_verification", "{\"credential\":" + twiceInside + "}");
      assertEquals(400, refused.status(), refused.body());
      assertEquals("invalid_request", refused.json().get("error").asText());
      AdminClient.Response twiceAround =
          alice.post(
              "/" + id + "/attempt_verification",
              "{\"credential\":{},\"credential\":" + credential + "}");
      assertEquals(400, twiceAround.status(), twiceAround.body());
      assertEquals(before, alice.get("").json().get("passkeys").size(), "nothing stored");
      assertEquals(
          200,
          alice
              .post("/" + id + "/attempt_verification", "{\"credential\":" + credential + "}")
              .status(),
          "refused before the pending registration was taken");
    }

    @Test
    void aTamperedCredentialIsRefusedAndTheRegistrationIsGone() {
      int before = alice.get("").json().get("passkeys").size();
      AdminClient.Response started = alice.post("", "{}");
      String id = started.json().get("id").asText();
      String credential =
          new SoftAuthenticator("https://evil.example")
              .register(started.json().get("publicKey").toString());
      AdminClient.Response refused =
          alice.post("/" + id + "/attempt_verification", "{\"credential\":" + credential + "}");
      assertEquals(400, refused.status(), refused.body());
      assertEquals("invalid_credential", refused.json().get("error").asText());
      assertEquals(before, alice.get("").json().get("passkeys").size(), "nothing stored");
      String honest =
          new SoftAuthenticator(realm.server().baseUrl())
              .register(started.json().get("publicKey").toString());
      assertEquals(
          404,
          alice
              .post("/" + id + "/attempt_verification", "{\"credential\":" + honest + "}")
              .status(),
          "the challenge was burnt by the failed attempt");
    }

    @Test
    void malformedBodiesGetStableCodes() {
      assertEquals(
          "invalid_request",
          alice
              .post("/pk_reg_xxxxxxxxxxxxxxxxxxxxxxxx/attempt_verification", "not json")
              .json()
              .get("error")
              .asText());
      assertEquals(
          400, alice.post("/pk_reg_xxxxxxxxxxxxxxxxxxxxxxxx/attempt_verification", "{}").status());
      assertEquals(
          413,
          alice
              .post(
                  "/pk_reg_xxxxxxxxxxxxxxxxxxxxxxxx/attempt_verification",
                  "{\"credential\":\"" + "a".repeat(70_000) + "\"}")
              .status());
    }
  }

  @Nested
  class ListGetRename {
    @Test
    void listsAndGetsOwnPasskeys() {
      JsonNode list = alice.get("").json().get("passkeys");
      assertTrue(list.size() >= 1);
      String id = alicePasskey.get("id").asText();
      assertEquals(id, alice.get("/" + id).json().get("id").asText());
    }

    @Test
    void renamesWithValidationAndAnEvent() {
      JsonNode extra = alice.register(new SoftAuthenticator(realm.server().baseUrl()), "Old name");
      String id = extra.get("id").asText();
      AdminClient.Response renamed = alice.patch("/" + id, "{\"name\":\"  Work key 🔑  \"}");
      assertEquals(200, renamed.status(), renamed.body());
      assertEquals("Work key 🔑", renamed.json().get("name").asText());
      JsonNode event = realm.events("UPDATE_CREDENTIAL").get(0);
      assertEquals("Old name", event.at("/details/old_name").asText());
      assertEquals("Work key 🔑", event.at("/details/new_name").asText());

      for (String bad :
          List.of(
              "{\"name\":\"\"}",
              "{\"name\":\"" + "x".repeat(65) + "\"}",
              "{\"name\":\"a\\u202Eb\"}",
              "{\"name\":42}")) {
        AdminClient.Response refused = alice.patch("/" + id, bad);
        assertEquals(422, refused.status(), bad + " -> " + refused.body());
        assertEquals("invalid_name", refused.json().get("error").asText());
      }
      assertEquals(
          "Work key 🔑",
          alice.get("/" + id).json().get("name").asText(),
          "unchanged by refused names");
    }

    /**
     * Issue #20 item 11: bytes that are not UTF-8 are refused, not saved as U+FFFD; attachments are
     * WebAuthn's.
     */
    @Test
    void aBodyThatIsNotUtf8AndAnAttachmentThatIsNotWebAuthnsAreRefusedAndChangeNothing() {
      JsonNode extra = alice.register(new SoftAuthenticator(realm.server().baseUrl()), "Before");
      String id = extra.get("id").asText();
      byte[] latin1 =
          "{\"name\":\"K\u00e4se\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      AdminClient.Response refused = alice.send("PATCH", "/" + id, latin1);
      assertEquals(400, refused.status(), refused.body());
      assertEquals("invalid_request", refused.json().get("error").asText());
      assertEquals("Before", alice.get("/" + id).json().get("name").asText(), "nothing saved");

      AdminClient.Response started = alice.post("", "{}");
      SoftAuthenticator key =
          new SoftAuthenticator(realm.server().baseUrl()).attachment("platform<script>");
      String credential = key.register(started.json().get("publicKey").toString());
      AdminClient.Response finished =
          alice.post(
              "/" + started.json().get("id").asText() + "/attempt_verification",
              "{\"credential\":" + credential + "}");
      assertEquals(400, finished.status(), finished.body());
      assertTrue(
          alice.get("").json().path("passkeys").findValuesAsText("id").stream()
              .noneMatch(saved -> saved.equals(key.lastCredential().idBase64Url())),
          "nothing saved");
    }

    @Test
    void markupInANameIsStoredVerbatimAsJsonText() {
      JsonNode created =
          alice.register(
              new SoftAuthenticator(realm.server().baseUrl()), "<img src=x onerror=alert(1)>");
      assertEquals(
          "<img src=x onerror=alert(1)>",
          alice.get("/" + created.get("id").asText()).json().get("name").asText());
    }
  }

  @Nested
  class Isolation {
    @Test
    void anotherUsersPasskeyAndAPasswordIdAnswerExactlyLikeAnUnknownId() {
      String bobId = realm.createUser("bob", "bob-password");
      ApiClient bob =
          new ApiClient(
              realm, ApiClient.userToken(realm, "bob", "bob-password", "openid passkeys"));
      String alicesId = alicePasskey.get("id").asText();
      String passwordId = realm.credentials(bobId).get(0).get("id").asText();
      AdminClient.Response foreign = bob.get("/" + alicesId);
      AdminClient.Response password = bob.get("/" + passwordId);
      AdminClient.Response unknown = bob.get("/does-not-exist");
      assertEquals(404, foreign.status());
      assertEquals(foreign.body(), unknown.body());
      assertEquals(foreign.body(), password.body());
      assertEquals(404, bob.patch("/" + alicesId, "{\"name\":\"mine now\"}").status());
      assertEquals(404, bob.delete("/" + alicesId).status());
      assertEquals("Alice's laptop", alice.get("/" + alicesId).json().get("name").asText());
    }

    @Test
    void tokensThatAreMissingBadForeignOrWithoutTheScopeAreRefused() {
      assertEquals(401, new ApiClient(realm, null).get("").status());
      assertEquals(
          "invalid_token", new ApiClient(realm, "garbage").get("").json().get("error").asText());
      String masterToken = realm.admin().accessToken();
      assertEquals(
          401, new ApiClient(realm, masterToken).get("").status(), "a token of another realm");
      ApiClient noScope =
          new ApiClient(realm, ApiClient.userToken(realm, "alice", "alice-password", "openid"));
      AdminClient.Response forbidden = noScope.get("");
      assertEquals(403, forbidden.status());
      assertEquals("insufficient_scope", forbidden.json().get("error").asText());
    }

    /**
     * Issue #20: a client acting for itself (client credentials) has no passkeys, even with the
     * scope.
     */
    @Test
    void aServiceAccountsTokenIsRefusedEvenWithTheScope() throws Exception {
      AdminClient admin = realm.admin();
      String base = "/realms/" + realm.name();
      admin.ok(
          admin.post(
              base + "/clients",
              java.util.Map.of(
                  "clientId",
                  "robot",
                  "enabled",
                  true,
                  "publicClient",
                  false,
                  "secret",
                  "robot-secret",
                  "serviceAccountsEnabled",
                  true,
                  "standardFlowEnabled",
                  false)));
      String robotId =
          admin.ok(admin.get(base + "/clients?clientId=robot")).get(0).get("id").asText();
      String scopeId = null;
      for (JsonNode scope : admin.ok(admin.get(base + "/client-scopes"))) {
        if (scope.get("name").asText().equals("passkeys")) {
          scopeId = scope.get("id").asText();
        }
      }
      admin.ok(admin.put(base + "/clients/" + robotId + "/default-client-scopes/" + scopeId, ""));
      java.net.http.HttpResponse<String> tokenResponse =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(realm.realmUrl() + "/protocol/openid-connect/token"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "grant_type=client_credentials&client_id=robot&client_secret=robot-secret&scope=passkeys"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      JsonNode token = AdminClient.JSON.readTree(tokenResponse.body());
      assertTrue(token.path("scope").asText().contains("passkeys"), token.toString());
      AdminClient.Response refused =
          new ApiClient(realm, token.path("access_token").asText()).get("");
      assertEquals(403, refused.status(), refused.body());
      assertEquals("user_token_required", refused.json().get("error").asText());
    }

    @Test
    void aLoggedOutSessionsTokenIsRefused() {
      String carolId = realm.createUser("carol", "carol-password");
      ApiClient carol =
          new ApiClient(
              realm, ApiClient.userToken(realm, "carol", "carol-password", "openid passkeys"));
      assertEquals(200, carol.get("").status());
      realm
          .admin()
          .ok(realm.admin().post("/realms/" + realm.name() + "/users/" + carolId + "/logout", ""));
      assertEquals(401, carol.get("").status());
    }
  }

  @Nested
  class Guards {
    @Test
    void theLastWayToSignInCannotBeDeleted() {
      String daveId = realm.createUser("dave", "dave-password");
      ApiClient dave =
          new ApiClient(
              realm, ApiClient.userToken(realm, "dave", "dave-password", "openid passkeys"));
      SoftAuthenticator daveKey = new SoftAuthenticator(realm.server().baseUrl());
      JsonNode passkey = dave.register(daveKey, "Only key");
      dave = new ApiClient(realm, ApiClient.passkeyToken(realm, daveKey, "openid passkeys"));
      realm.deletePassword(daveId);
      AdminClient.Response refused = dave.delete("/" + passkey.get("id").asText());
      assertEquals(409, refused.status(), refused.body());
      assertEquals("last_sign_in_method", refused.json().get("error").asText());
      assertEquals(200, dave.get("/" + passkey.get("id").asText()).status(), "still there");
    }

    /**
     * A user who has a passkey adds and deletes passkeys only after signing in with one: a password
     * session is not as strong as the user's strongest credential. Renaming needs a recent sign-in
     * of any kind.
     */
    @Test
    void addingAndDeletingNeedAPasskeySignInFromUsersWhoHaveOne() {
      realm.createUser("fern", "fern-password");
      ApiClient byPassword =
          new ApiClient(
              realm, ApiClient.userToken(realm, "fern", "fern-password", "openid passkeys"));
      SoftAuthenticator fernKey = new SoftAuthenticator(realm.server().baseUrl());
      JsonNode first = byPassword.register(fernKey, "First key"); // no passkey yet: a password does
      String id = first.get("id").asText();
      for (AdminClient.Response refused :
          List.of(byPassword.post("", "{}"), byPassword.delete("/" + id))) {
        assertEquals(403, refused.status(), refused.body());
        assertEquals("passkey_reauthentication_required", refused.json().get("error").asText());
      }
      assertEquals(
          200, byPassword.patch("/" + id, "{\"name\":\"Renamed\"}").status(), "renaming is fine");
      ApiClient byPasskey =
          new ApiClient(realm, ApiClient.passkeyToken(realm, fernKey, "openid passkeys"));
      byPasskey.register(new SoftAuthenticator(realm.server().baseUrl()), "Second key");
      assertEquals(204, byPasskey.delete("/" + id).status());
    }

    @Test
    void changesNeedARecentSignIn() throws Exception {
      realm.createUser("erin", "erin-password");
      ApiClient erin =
          new ApiClient(
              realm, ApiClient.userToken(realm, "erin", "erin-password", "openid passkeys"));
      JsonNode passkey =
          erin.register(new SoftAuthenticator(realm.server().baseUrl()), "Erin's key");
      realm.setReauthenticationSeconds("1");
      try {
        Thread.sleep(2100);
        AdminClient.Response stale =
            erin.patch("/" + passkey.get("id").asText(), "{\"name\":\"renamed\"}");
        assertEquals(403, stale.status());
        assertEquals("reauthentication_required", stale.json().get("error").asText());
        assertEquals(403, erin.delete("/" + passkey.get("id").asText()).status());
        assertEquals(403, erin.post("", "{}").status());
        assertEquals(200, erin.get("").status(), "reading needs no fresh sign-in");
      } finally {
        realm.setReauthenticationSeconds("300");
      }
      assertEquals(
          "Erin's key", erin.get("/" + passkey.get("id").asText()).json().get("name").asText());
    }

    @Test
    void concurrentRenameAndDeleteLeaveAConsistentState() throws Exception {
      JsonNode passkey = alice.register(new SoftAuthenticator(realm.server().baseUrl()), "Racing");
      String id = passkey.get("id").asText();
      CompletableFuture<AdminClient.Response> rename =
          CompletableFuture.supplyAsync(() -> alice.patch("/" + id, "{\"name\":\"Renamed\"}"));
      CompletableFuture<AdminClient.Response> delete =
          CompletableFuture.supplyAsync(() -> alice.delete("/" + id));
      int renameStatus = rename.get().status();
      int deleteStatus = delete.get().status();
      assertEquals(204, deleteStatus);
      assertTrue(renameStatus == 200 || renameStatus == 404, "rename: " + renameStatus);
      assertEquals(404, alice.get("/" + id).status());
    }
  }

  /**
   * CORS (issue #20 items 3 and 12): a preflight is answered at once for any origin, without
   * looking at the realm's clients, and grants nothing; the real answer names only the token's
   * client's web origins, so a page of another origin cannot read it. The bearer API never allows
   * credentials (cookies).
   */
  @Nested
  class Cors {
    @Test
    void aPreflightGrantsNothingAndOnlyTheTokensWebOriginsMayReadTheAnswer() throws Exception {
      HttpResponse<String> granted = preflight(TestRealm.APP_ORIGIN);
      assertEquals(
          TestRealm.APP_ORIGIN,
          granted.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertNotEquals(
          "true", granted.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
      HttpResponse<String> other = preflight("https://evil.example");
      assertEquals(
          "https://evil.example",
          other.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
          "answered without walking the realm's clients");

      HttpResponse<String> read = get(TestRealm.APP_ORIGIN);
      assertEquals(200, read.statusCode(), read.body());
      assertEquals(
          TestRealm.APP_ORIGIN,
          read.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertNotEquals(
          "true",
          read.headers().firstValue("Access-Control-Allow-Credentials").orElse(""),
          "a bearer-token API needs no cookies");
      HttpResponse<String> foreign = get("https://evil.example");
      assertTrue(
          foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
          "another origin's page cannot read the answer: " + foreign.headers().map());
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(alice.base()))
                      .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                      .header("Origin", origin)
                      .header("Access-Control-Request-Method", "PATCH")
                      .header("Access-Control-Request-Headers", "authorization,content-type")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      return response;
    }

    private HttpResponse<String> get(String origin) throws Exception {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(alice.base()))
                  .GET()
                  .header("Origin", origin)
                  .header(
                      "Authorization",
                      "Bearer "
                          + ApiClient.userToken(
                              realm, "alice", "alice-password", "openid passkeys"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
  }

  @Nested
  class AdminApi {
    @Test
    void listsRenamesAndDeletesAUsersPasskeysWithAdminEvents() {
      AdminClient admin = realm.admin();
      String base = "/realms/" + realm.name() + "/passkeys/v1/users/" + aliceId + "/passkeys";
      JsonNode extra =
          alice.register(new SoftAuthenticator(realm.server().baseUrl()), "Support test");
      String id = extra.get("id").asText();
      assertTrue(admin.ok(admin.get(base)).get("passkeys").size() >= 2);
      assertEquals("Support test", admin.ok(admin.get(base + "/" + id)).get("name").asText());
      AdminClient.Response renamed =
          admin.send("PATCH", base + "/" + id, Map.of("name", "Renamed by support"));
      assertEquals(200, renamed.status(), renamed.body());
      assertEquals("Renamed by support", alice.get("/" + id).json().get("name").asText());
      assertEquals(204, admin.delete(base + "/" + id).status());
      assertEquals(404, alice.get("/" + id).status());
      assertEquals(404, admin.get(base + "/" + id).status());
      assertEquals(
          404, admin.get("/realms/" + realm.name() + "/passkeys/v1/users/nope/passkeys").status());
    }

    @Test
    void statsCountUsersProvidersAndActivity() {
      AdminClient admin = realm.admin();
      JsonNode stats = admin.ok(admin.get("/realms/" + realm.name() + "/passkeys/v1/stats"));
      assertTrue(stats.get("users_with_passkeys").asLong() >= 1, stats.toString());
      assertTrue(stats.get("device_bound").asLong() + stats.get("synced").asLong() >= 1);
      assertTrue(stats.at("/last_30_days/registrations").asLong() >= 1, stats.toString());
    }
  }
}
