package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** OIDC authorization-code helpers for tests: the browser signs in, the test redeems the code. */
public final class Oidc {

  /**
   * Nothing listens here: the browser shows an error page, and the test reads the code from the
   * URL.
   */
  public static final String REDIRECT_URI = "http://localhost:1/callback";

  private final TestRealm realm;

  public Oidc(TestRealm realm) {
    this.realm = realm;
  }

  public String authorizationUrl(Map<String, String> extra) {
    return authorizationUrl(realm.realmUrl(), extra);
  }

  /** The authorization URL on another host name of the same server (e.g. a *.localhost alias). */
  public String authorizationUrl(String realmUrl, Map<String, String> extra) {
    return authorizationUrlAt(realmUrl, extra);
  }

  /** The test client's authorization URL at {@code realmUrl} (any node of a cluster). */
  public static String authorizationUrlAt(String realmUrl, Map<String, String> extra) {
    Map<String, String> params =
        new java.util.LinkedHashMap<>(
            Map.of(
                "client_id",
                TestRealm.TEST_CLIENT,
                "response_type",
                "code",
                "scope",
                "openid",
                "redirect_uri",
                REDIRECT_URI,
                "state",
                "it-state",
                "nonce",
                "it-nonce"));
    params.putAll(extra);
    return realmUrl + "/protocol/openid-connect/auth?" + form(params);
  }

  public String authorizationUrl() {
    return authorizationUrl(Map.of());
  }

  /** The {@code code} parameter of a redirect URL, or null. */
  public static String codeOf(String url) {
    Matcher m = Pattern.compile("[?&]code=([^&#]+)").matcher(url);
    return m.find() ? m.group(1) : null;
  }

  public static String paramOf(String url, String name) {
    Matcher m = Pattern.compile("[?&]" + name + "=([^&#]+)").matcher(url);
    return m.find() ? java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
  }

  /** Redeems the code; returns the token response. */
  public JsonNode exchange(String code) {
    return exchangeAt(realm.realmUrl(), code);
  }

  /** Redeems the test client's code at {@code realmUrl} (any node of a cluster). */
  public static JsonNode exchangeAt(String realmUrl, String code) {
    AdminClient.Response r =
        AdminClient.send(
            HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "grant_type",
                                "authorization_code",
                                "code",
                                code,
                                "redirect_uri",
                                REDIRECT_URI,
                                "client_id",
                                TestRealm.TEST_CLIENT,
                                "client_secret",
                                TestRealm.TEST_CLIENT_SECRET)))));
    if (r.status() != 200) {
      throw new AssertionError("Token exchange failed: " + r.status() + " " + r.body());
    }
    return r.json();
  }

  public static JsonNode claims(String jwt) {
    try {
      return AdminClient.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
