package dev.kcpasskeys.rest;

import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.cors.Cors;

/**
 * CORS for the app API, as Keycloak does it for its own bearer-token APIs (account and admin REST).
 * The API reads no cookies, so it never says {@code Access-Control-Allow-Credentials}. A preflight
 * carries no token and grants nothing: it is answered at once, for any origin, without looking at a
 * single client (it used to walk every client of the realm, unauthenticated). The real answer
 * decides: it names the origin only when the token's client lists it among its web origins, so a
 * page of any other origin cannot read what the API answers.
 */
final class ApiCors {

  static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE", "OPTIONS"};

  private ApiCors() {}

  /** A preflight: the methods and headers the API takes, for the origin that asked. */
  static Response preflight(String origin) {
    Response.ResponseBuilder response = Response.ok().header("Vary", "Origin");
    if (origin == null || origin.isBlank()) {
      return response.build();
    }
    return response
        .header("Access-Control-Allow-Origin", origin)
        .header("Access-Control-Allow-Methods", String.join(", ", METHODS))
        .header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        .header("Access-Control-Max-Age", "3600")
        .build();
  }

  /**
   * A request without a token (a backend-started registration): the web origins of the app the
   * registration was started for decide, none when it names no app.
   */
  static Response addFor(
      Response.ResponseBuilder response, KeycloakSession session, ClientModel client) {
    Cors cors = Cors.builder().allowedMethods(METHODS);
    if (client != null) {
      cors.checkAllowedOrigins(session, client);
    }
    return cors.add(response.header("Vary", "Origin"));
  }

  /** A real request: the token's allowed origins (its client's web origins) decide. */
  static Response add(Response.ResponseBuilder response, ApiCaller caller) {
    Cors cors = Cors.builder().allowedMethods(METHODS);
    if (caller != null) {
      cors.checkAllowedOrigins(caller.token());
    }
    return cors.add(response.header("Vary", "Origin"));
  }
}
