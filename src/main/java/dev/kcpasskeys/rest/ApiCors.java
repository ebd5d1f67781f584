package dev.kcpasskeys.rest;

import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;
import org.keycloak.services.cors.Cors;

/** CORS for the app API: only the web origins of clients granted the passkeys scope. */
final class ApiCors {

  static final String[] METHODS = {"GET", "POST", "PATCH", "DELETE", "OPTIONS"};

  private ApiCors() {}

  /** A preflight carries no token: allow the origins of every client that may call the API. */
  static Response preflight(KeycloakSession session, RealmModel realm) {
    Set<String> origins = realm.getClientsStream()
        .filter(ApiCors::granted)
        .flatMap(c -> WebOriginsUtils.resolveValidWebOrigins(session, c).stream())
        .collect(Collectors.toSet());
    String origin = session.getContext().getRequestHeaders().getHeaderString("Origin");
    Response.ResponseBuilder response = Response.ok().header("Vary", "Origin");
    if (origin == null || !origins.contains(origin)) {
      return response.build(); // no CORS headers: the browser refuses the cross-origin call
    }
    return response.header("Access-Control-Allow-Origin", origin)
        .header("Access-Control-Allow-Methods", String.join(", ", METHODS))
        .header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        .header("Access-Control-Allow-Credentials", "true")
        .header("Access-Control-Max-Age", "3600").build();
  }

  /** A real request: the token's allowed origins (its client's web origins) decide. */
  static Response add(Response.ResponseBuilder response, ApiCaller caller) {
    Cors cors = Cors.builder().allowedMethods(METHODS).auth();
    if (caller != null) {
      cors.checkAllowedOrigins(caller.token());
    }
    return cors.add(response);
  }

  private static boolean granted(ClientModel client) {
    return client.getClientScopes(true).containsKey(ApiCaller.SCOPE)
        || client.getClientScopes(false).containsKey(ApiCaller.SCOPE);
  }
}
