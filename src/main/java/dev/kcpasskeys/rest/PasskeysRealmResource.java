package dev.kcpasskeys.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import dev.kcpasskeys.ceremony.PasskeyCeremony;
import org.keycloak.models.KeycloakSession;

/** {@code /realms/{realm}/passkeys}. */
public final class PasskeysRealmResource {

  private static final PasskeyCeremony CEREMONY = new PasskeyCeremony();

  private final KeycloakSession session;

  PasskeysRealmResource(KeycloakSession session) {
    this.session = session;
  }

  /** The signed-in user's passkeys, for apps holding the user's bearer token. */
  @Path("v1/me/passkeys")
  public MePasskeysResource me() {
    return new MePasskeysResource(session, CEREMONY);
  }

  /** This API's OpenAPI 3 document (also in the repository under src/main/resources/openapi/). */
  @GET
  @Path("v1/openapi.yaml")
  @Produces("application/yaml")
  public jakarta.ws.rs.core.Response openApi() {
    java.io.InputStream yaml = PasskeysRealmResource.class.getResourceAsStream("/openapi/passkeys-openapi.yaml");
    if (yaml == null) {
      return jakarta.ws.rs.core.Response.status(404).build();
    }
    return jakarta.ws.rs.core.Response.ok(yaml, "application/yaml").header("Cache-Control", "max-age=3600").build();
  }

  /** The app helper module ({@code canRegisterPasskey()}); public, cacheable, loadable cross-origin. */
  @GET
  @Path("v1/passkeys.js")
  @Produces("text/javascript")
  public jakarta.ws.rs.core.Response sdk() {
    java.io.InputStream js = PasskeysRealmResource.class.getResourceAsStream("/sdk/passkeys.js");
    if (js == null) {
      return jakarta.ws.rs.core.Response.status(404).build();
    }
    return jakarta.ws.rs.core.Response.ok(js, "text/javascript; charset=utf-8")
        .header("Access-Control-Allow-Origin", "*").header("Cache-Control", "max-age=3600").build();
  }

  /** A tiny public document apps use to discover what this realm offers. */
  @GET
  @Path("v1/.well-known")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> discovery() {
    return Map.of("realm", session.getContext().getRealm().getName(), "api_version", "v1");
  }
}
