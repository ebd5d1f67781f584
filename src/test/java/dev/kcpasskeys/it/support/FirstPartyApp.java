package dev.kcpasskeys.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A public first-party app of a test realm, signing users in over the Authorization Challenge
 * Endpoint as a native app does: PKCE, the passkey's request options, the authenticator, the code,
 * the token endpoint.
 */
public final class FirstPartyApp {

  private final TestRealm realm;
  private final String clientId;

  private FirstPartyApp(TestRealm realm, String clientId) {
    this.realm = realm;
    this.clientId = clientId;
  }

  /** Creates the public client, marked first-party, with the realm's own origin. */
  public static FirstPartyApp create(TestRealm realm, String clientId) {
    createClient(realm, clientId, true);
    return new FirstPartyApp(realm, clientId);
  }

  /** A public client with the realm's own origin, marked first-party or not. */
  public static void createClient(TestRealm realm, String clientId, boolean firstParty) {
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("clientId", clientId);
    client.put("enabled", true);
    client.put("publicClient", true);
    client.put("standardFlowEnabled", true);
    client.put("redirectUris", List.of(Oidc.REDIRECT_URI));
    client.put("webOrigins", List.of("+"));
    client.put("attributes", Map.of("passkeys.firstParty", Boolean.toString(firstParty)));
    realm.admin().ok(realm.admin().post("/realms/" + realm.name() + "/clients", client));
  }

  /** One sign-in's PKCE pair: the verifier the app keeps, the S256 challenge it sends. */
  public record Pkce(String verifier, String challenge) {
    public static Pkce create() {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        byte[] hash =
            MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Step one: the challenge request with {@code pkce}; the endpoint's answer, as it is. */
  public AdminClient.Response start(Pkce pkce) {
    Map<String, String> start = new LinkedHashMap<>();
    start.put("client_id", clientId);
    start.put("scope", "openid");
    start.put("code_challenge", pkce.challenge());
    start.put("code_challenge_method", "S256");
    return new ApiClient(realm, null).postFormToApi("/authorize-challenge", start);
  }

  /** A whole sign-in with the authenticator's passkey; the token endpoint's answer. */
  public JsonNode signIn(SoftAuthenticator authenticator) {
    Pkce pkce = Pkce.create();
    AdminClient.Response started = start(pkce);
    assertEquals(
        "insufficient_authorization", started.json().path("error").asText(), started.body());
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("client_id", clientId);
    answer.put("auth_session", started.json().get("auth_session").asText());
    answer.put(
        "passkey_response",
        authenticator.authenticate(started.json().at("/passkey/publicKey").toString()));
    ApiClient api = new ApiClient(realm, null);
    AdminClient.Response signedIn = api.postFormToApi("/authorize-challenge", answer);
    assertEquals(200, signedIn.status(), signedIn.body());
    AdminClient.Response tokens =
        api.postFormTo(
            realm.realmUrl() + "/protocol/openid-connect/token",
            Map.of(
                "grant_type",
                "authorization_code",
                "code",
                signedIn.json().get("authorization_code").asText(),
                "client_id",
                clientId,
                "code_verifier",
                pkce.verifier()));
    assertEquals(200, tokens.status(), tokens.body());
    return tokens.json();
  }
}
