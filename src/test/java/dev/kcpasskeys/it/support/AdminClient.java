package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** A tiny admin REST client over java.net.http: enough for tests to create and inspect realms. */
public final class AdminClient {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private String token;
  private Instant tokenExpires = Instant.EPOCH;

  private AdminClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public static AdminClient of(KeycloakServer server) {
    return new AdminClient(server.baseUrl());
  }

  /**
   * A client for the server at {@code baseUrl} (e.g. one node of a cluster), as the bootstrap
   * admin.
   */
  public static AdminClient at(String baseUrl) {
    return new AdminClient(baseUrl);
  }

  /** A response whose body is parsed when it is JSON. */
  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
      }
    }
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response post(String path, Object body) {
    return send(request(path).POST(jsonBody(body)).header("Content-Type", "application/json"));
  }

  public Response put(String path, Object body) {
    return send(request(path).PUT(jsonBody(body)).header("Content-Type", "application/json"));
  }

  /** A PUT with a text/plain body (e.g. Keycloak's credential userLabel endpoint). */
  public Response putText(String path, String text) {
    return send(
        request(path)
            .PUT(HttpRequest.BodyPublishers.ofString(text))
            .header("Content-Type", "text/plain"));
  }

  /** Any method, e.g. PATCH. */
  public Response send(String method, String path, Object body) {
    return send(
        request(path).method(method, jsonBody(body)).header("Content-Type", "application/json"));
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  /** Fails the test unless the call answered 2xx; returns the parsed body. */
  public JsonNode ok(Response response) {
    if (response.status() / 100 != 2) {
      throw new AssertionError(
          "Admin call failed with " + response.status() + ": " + response.body());
    }
    return response.json();
  }

  /**
   * A new token now, whatever the age of the current one: for a test that must not need one for a
   * while.
   */
  public synchronized void renewToken() {
    tokenExpires = Instant.EPOCH;
    accessToken();
  }

  /** Synchronized: the benchmark reads through one client from several threads. */
  public synchronized String accessToken() {
    if (Instant.now().isAfter(tokenExpires)) {
      String form =
          "grant_type=password&client_id=admin-cli&username="
              + KeycloakServer.ADMIN_USER
              + "&password="
              + URLEncoder.encode(KeycloakServer.ADMIN_PASSWORD, StandardCharsets.UTF_8);
      Response r =
          send(
              HttpRequest.newBuilder(
                      URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form)));
      JsonNode json = ok(r);
      token = json.get("access_token").asText();
      tokenExpires = Instant.now().plusSeconds(Math.max(5, json.get("expires_in").asLong() - 15));
    }
    return token;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/admin" + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + accessToken())
        .header("Accept", "application/json");
  }

  private static HttpRequest.BodyPublisher jsonBody(Object body) {
    try {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      return HttpRequest.BodyPublishers.ofString(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Response send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> r = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      OpenApiContract.check(
          r.request().method(),
          r.request().uri(),
          r.statusCode(),
          r.body(),
          r.headers().firstValue("Content-Type"));
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException("HTTP call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
