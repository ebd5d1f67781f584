package dev.kcpasskeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One complete OIDC sign-in, as a fresh browser: authorization request → login page → the way's
 * ceremony → code → token exchange → ID token whose sub must be the user's id.
 */
final class OidcSignIn {

  private final HttpClient http;
  private final String origin;

  OidcSignIn(HttpClient http, String origin) {
    this.http = http;
    this.origin = origin;
  }

  void run(Way way, BenchUser user) throws IOException, InterruptedException {
    String realmUrl = origin + "/realms/" + way.realm();
    String nonce = UUID.randomUUID().toString();
    JsonNode tokens = way.signInWithoutLoginPage(http, realmUrl, user, nonce);
    if (tokens == null) {
      tokens = viaLoginPage(way, user, realmUrl, nonce);
    }
    JsonNode claims = Oidc.claims(tokens.path("id_token").asText());
    if (!user.id().equals(claims.path("sub").asText()) || !nonce.equals(claims.path("nonce").asText())) {
      throw new IllegalStateException("ID token for " + claims.path("sub") + ", expected " + user.id());
    }
  }

  private JsonNode viaLoginPage(Way way, BenchUser user, String realmUrl, String nonce)
      throws IOException, InterruptedException {
    HttpLogin login = new HttpLogin(http, origin);
    HttpLogin.Result page = login.open(realmUrl + "/protocol/openid-connect/auth?" + form(Map.of(
        "client_id", TestRealm.TEST_CLIENT, "response_type", "code", "scope", "openid",
        "redirect_uri", Oidc.REDIRECT_URI, "state", "bench", "nonce", nonce)));
    if (page.status() != 200) {
      throw Way.unexpected("no login page", page);
    }
    HttpLogin.Result done = way.signIn(login, user);
    if (done.code() == null) {
      throw Way.unexpected("no code", done);
    }
    return exchange(realmUrl, done.code());
  }

  private JsonNode exchange(String realmUrl, String code) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
            "redirect_uri", Oidc.REDIRECT_URI, "client_id", TestRealm.TEST_CLIENT,
            "client_secret", TestRealm.TEST_CLIENT_SECRET))))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token exchange: " + response.statusCode() + " " + response.body());
    }
    return Way.json(response.body());
  }

  static String form(Map<String, String> params) {
    return new LinkedHashMap<>(params).entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
