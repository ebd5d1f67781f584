package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

/** Calls the app API ({@code /realms/{realm}/passkeys/v1/me/passkeys}) as an app would. */
public final class ApiClient {

  private final String realmUrl;
  private final String token;

  public ApiClient(TestRealm realm, String token) {
    this(realm.realmUrl(), token);
  }

  /**
   * For the realm at {@code realmUrl} ({@code http://host:port/realms/name}), e.g. on one node of a
   * cluster.
   */
  public ApiClient(String realmUrl, String token) {
    this.realmUrl = realmUrl;
    this.token = token;
  }

  /** A user's access token by direct grant; {@code scope} e.g. "openid passkeys". */
  public static String userToken(TestRealm realm, String username, String password, String scope) {
    return userToken(realm.realmUrl(), username, password, scope);
  }

  /**
   * A user's access token from a sign-in with their passkey (the browser flow, code exchange): what
   * adding and deleting passkeys need from users who have one. {@code scope} e.g. "openid
   * passkeys".
   */
  public static String passkeyToken(
      TestRealm realm,
      dev.kcpasskeys.testing.SoftAuthenticator authenticator,
      dev.kcpasskeys.testing.Tweaks tweaks,
      String scope) {
    return passkeyToken(realm.realmUrl(), realm.server().baseUrl(), authenticator, tweaks, scope);
  }

  /** {@link #passkeyToken} at {@code realmUrl}, served at {@code origin} (a node of a cluster). */
  public static String passkeyToken(
      String realmUrl,
      String origin,
      dev.kcpasskeys.testing.SoftAuthenticator authenticator,
      dev.kcpasskeys.testing.Tweaks tweaks,
      String scope) {
    HttpLogin login = new HttpLogin(origin);
    login.open(Oidc.authorizationUrlAt(realmUrl, Map.of("scope", scope)));
    HttpLogin.Result done =
        login.passkeySignIn(authenticator.authenticate(login.last().options(), tweaks), "button");
    if (done.code() == null) {
      throw new AssertionError("passkey sign-in failed: " + done);
    }
    return Oidc.exchangeAt(realmUrl, done.code()).get("access_token").asText();
  }

  /** {@link #passkeyToken} with the authenticator's honest (synced) flags. */
  public static String passkeyToken(
      TestRealm realm, dev.kcpasskeys.testing.SoftAuthenticator authenticator, String scope) {
    return passkeyToken(realm, authenticator, dev.kcpasskeys.testing.Tweaks.none(), scope);
  }

  public static String userToken(String realmUrl, String username, String password, String scope) {
    AdminClient.Response r =
        AdminClient.send(
            HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Oidc.form(
                            Map.of(
                                "grant_type",
                                "password",
                                "client_id",
                                TestRealm.TEST_CLIENT,
                                "client_secret",
                                TestRealm.TEST_CLIENT_SECRET,
                                "username",
                                username,
                                "password",
                                password,
                                "scope",
                                scope)))));
    if (r.status() != 200) {
      throw new AssertionError("Token request failed: " + r.status() + " " + r.body());
    }
    return r.json().get("access_token").asText();
  }

  public String base() {
    return realmUrl + "/passkeys/v1/me/passkeys";
  }

  public AdminClient.Response get(String path) {
    return AdminClient.send(request(path).GET());
  }

  public AdminClient.Response post(String path, String json) {
    return AdminClient.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /**
   * A POST to {@code path} under the realm's passkeys API ({@code /realms/{realm}/passkeys/v1}).
   */
  public AdminClient.Response postToApi(String path, String json) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(realmUrl + "/passkeys/v1" + path))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    return AdminClient.send(
        token == null ? builder : builder.header("Authorization", "Bearer " + token));
  }

  /** A form POST to {@code path} under the realm's passkeys API. */
  public AdminClient.Response postFormToApi(String path, Map<String, String> fields) {
    return postFormTo(realmUrl + "/passkeys/v1" + path, fields);
  }

  /** A form POST to any URL (the token endpoint, say), checked against the OpenAPI document. */
  public AdminClient.Response postFormTo(String url, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8)
                        + "="
                        + java.net.URLEncoder.encode(
                            e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
            .collect(java.util.stream.Collectors.joining("&"));
    return AdminClient.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public AdminClient.Response patch(String path, String json) {
    return AdminClient.send(
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  public AdminClient.Response delete(String path) {
    return AdminClient.send(request(path).DELETE());
  }

  /**
   * Registers a passkey over the API with the given software authenticator; returns the new
   * passkey.
   */
  public JsonNode register(dev.kcpasskeys.testing.SoftAuthenticator authenticator, String name) {
    return register(authenticator, name, dev.kcpasskeys.testing.Tweaks.none());
  }

  public JsonNode register(
      dev.kcpasskeys.testing.SoftAuthenticator authenticator,
      String name,
      dev.kcpasskeys.testing.Tweaks tweaks) {
    AdminClient.Response started = post("", "{}");
    if (started.status() != 200) {
      throw new AssertionError("start failed: " + started.status() + " " + started.body());
    }
    String credential = authenticator.register(started.json().get("publicKey").toString(), tweaks);
    String body =
        "{\"credential\":"
            + credential
            + (name == null ? "" : ",\"name\":" + AdminClient.JSON.valueToTree(name))
            + "}";
    AdminClient.Response finished =
        post("/" + started.json().get("id").asText() + "/attempt_verification", body);
    if (finished.status() != 200) {
      throw new AssertionError("finish failed: " + finished.status() + " " + finished.body());
    }
    return finished.json();
  }

  /**
   * Finishes a registration another call started ({@code started}: its {@code id} and {@code
   * publicKey}) with a new passkey of {@code authenticator}; returns the answer as it is, for tests
   * of refusals.
   */
  public AdminClient.Response finish(
      AdminClient.Response started, dev.kcpasskeys.testing.SoftAuthenticator authenticator) {
    String credential = authenticator.register(started.json().get("publicKey").toString());
    return post(
        "/" + started.json().get("id").asText() + "/attempt_verification",
        "{\"credential\":" + credential + "}");
  }

  /** A request whose body is these bytes, as sent (for bodies that are not valid UTF-8). */
  public AdminClient.Response send(String method, String path, byte[] body) {
    return AdminClient.send(
        request(path)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "application/json");
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }
}
