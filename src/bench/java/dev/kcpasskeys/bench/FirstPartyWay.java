package dev.kcpasskeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * (d) Our first-party sign-in, as a native app does it: the challenge endpoint, the passkey, the
 * code, the token endpoint with PKCE. No login page, no cookies; the same users and realm as (a).
 */
final class FirstPartyWay extends Way {

  private final SoftAuthenticator authenticator;
  private final KeyPool keys;
  private final int passkeys;

  FirstPartyWay(String realm, List<BenchUser> users, int passkeys, KeyPool keys, String origin) {
    super("d", "first-party sign-in (ours, no page)", realm, users);
    this.authenticator = new SoftAuthenticator(origin);
    this.keys = keys;
    this.passkeys = passkeys;
  }

  @Override
  HttpLogin.Result signIn(HttpLogin login, BenchUser user) {
    throw new UnsupportedOperationException("(d) has no login page");
  }

  @Override
  JsonNode signInWithoutLoginPage(HttpClient http, String realmUrl, BenchUser user, String nonce)
      throws IOException, InterruptedException {
    String endpoint = realmUrl + "/passkeys/v1/authorize-challenge";
    String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
    Map<String, String> start = client();
    start.put("scope", "openid");
    start.put("nonce", nonce);
    start.put("code_challenge", s256(verifier));
    start.put("code_challenge_method", "S256");
    JsonNode challenge = post(http, endpoint, start, 400);
    JsonNode options = challenge.path("passkey").path("publicKey");
    int which = ThreadLocalRandom.current().nextInt(passkeys);
    String response = authenticator.authenticate(options.toString(),
        user.passkey(which, keys, options.path("rpId").asText()), Tweaks.none().signCount(0));
    Map<String, String> answer = client();
    answer.put("auth_session", challenge.path("auth_session").asText());
    answer.put("passkey_response", response);
    String code = post(http, endpoint, answer, 200).path("authorization_code").asText();
    Map<String, String> exchange = client();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", code);
    exchange.put("code_verifier", verifier);
    return post(http, realmUrl + "/protocol/openid-connect/token", exchange, 200);
  }

  private static Map<String, String> client() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("client_id", TestRealm.TEST_CLIENT);
    fields.put("client_secret", TestRealm.TEST_CLIENT_SECRET);
    return fields;
  }

  private static JsonNode post(HttpClient http, String url, Map<String, String> fields, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(OidcSignIn.form(fields)))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
    }
    return json(response.body());
  }

  private static String s256(String verifier) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
