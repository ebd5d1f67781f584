package dev.kcpasskeys.rest.realm;

import dev.kcpasskeys.config.PasskeyRequest;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.RelatedOrigins;
import dev.kcpasskeys.config.SharedCeremony;
import dev.kcpasskeys.rest.AuthorizationChallengeResource;
import dev.kcpasskeys.rest.EnrollmentResource;
import dev.kcpasskeys.rest.MePasskeysResource;
import dev.kcpasskeys.rest.page.EnrollPage;
import dev.kcpasskeys.rest.page.PasskeysPage;
import dev.kcpasskeys.rest.page.PasskeysPageApi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

/** {@code /realms/{realm}/passkeys}. */
public final class PasskeysRealmResource {

  private final KeycloakSession session;

  PasskeysRealmResource(KeycloakSession session) {
    this.session = session;
  }

  /** The passkeys page: a stable URL apps link to, optionally with a "Back to the app" link. */
  @GET
  public Response page(
      @QueryParam("client_id") String clientId, @QueryParam("redirect_uri") String redirectUri) {
    return new PasskeysPage(session).show(clientId, redirectUri);
  }

  /** Where sign-in for the page returns to. */
  @GET
  @Path("callback")
  public Response pageCallback(@QueryParam("state") String state) {
    return new PasskeysPage(session).callback(state);
  }

  /** The page's own cookie-authenticated, CSRF-protected JSON calls. */
  @Path("page")
  public PasskeysPageApi pageApi() {
    return new PasskeysPageApi(session, SharedCeremony.get());
  }

  /** The signed-in user's passkeys, for apps holding the user's bearer token. */
  @Path("v1/me/passkeys")
  public MePasskeysResource me() {
    return new MePasskeysResource(session, SharedCeremony.get());
  }

  /** First-party apps sign users in with a passkey here, without the login page. */
  @Path("v1/authorize-challenge")
  public AuthorizationChallengeResource authorizeChallenge() {
    return new AuthorizationChallengeResource(session, SharedCeremony.get());
  }

  /** Registrations a backend started for a user, completed with their ticket (no token). */
  @Path("v1/registrations")
  public EnrollmentResource registrations() {
    return new EnrollmentResource(session, SharedCeremony.get());
  }

  /** The page a backend-started registration's link opens; the ticket is in the URL fragment. */
  @GET
  @Path("enroll")
  public Response enrollPage() {
    return new EnrollPage(session).show();
  }

  /** This API's OpenAPI 3 document (also in the repository under src/main/resources/openapi/). */
  @GET
  @Path("v1/openapi.yaml")
  @Produces("application/yaml")
  public jakarta.ws.rs.core.Response openApi() {
    java.io.InputStream yaml =
        PasskeysRealmResource.class.getResourceAsStream("/openapi/passkeys-openapi.yaml");
    if (yaml == null) {
      return jakarta.ws.rs.core.Response.status(404).build();
    }
    return jakarta.ws.rs.core.Response.ok(yaml, "application/yaml")
        .header("Cache-Control", "max-age=3600")
        .build();
  }

  /**
   * The app helper module ({@code canRegisterPasskey()}); public, cacheable, loadable cross-origin.
   */
  @GET
  @Path("v1/passkeys.js")
  @Produces("text/javascript")
  public jakarta.ws.rs.core.Response sdk() {
    java.io.InputStream js = PasskeysRealmResource.class.getResourceAsStream("/sdk/passkeys.js");
    if (js == null) {
      return jakarta.ws.rs.core.Response.status(404).build();
    }
    return jakarta.ws.rs.core.Response.ok(js, "text/javascript; charset=utf-8")
        .header("Access-Control-Allow-Origin", "*")
        .header("Cache-Control", "max-age=3600")
        .build();
  }

  /**
   * The document browsers fetch at {@code https://<rp id>/.well-known/webauthn} (Related Origin
   * Requests, WebAuthn L3 §5.11): serve it there, from this URL or a copy. It lists the configured
   * origins outside the RP ID.
   */
  @GET
  @Path("v1/webauthn")
  @Produces(MediaType.APPLICATION_JSON)
  public Response relatedOrigins() {
    RealmModel realm = session.getContext().getRealm();
    String rpId = PasskeyRequest.relyingParty(session, realm).rpId();
    return Response.ok(
            Map.of("origins", RelatedOrigins.of(PasskeySettings.read(realm).origins(), rpId)))
        .header("Access-Control-Allow-Origin", "*")
        .header("Cache-Control", "max-age=300")
        .build();
  }

  /** A tiny public document apps use to discover what this realm offers. */
  @GET
  @Path("v1/.well-known")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> discovery() {
    return Map.of(
        "realm",
        session.getContext().getRealm().getName(),
        "api_version",
        "v1",
        "authorization_challenge_endpoint",
        Urls.realmIssuer(
                session.getContext().getUri().getBaseUri(),
                session.getContext().getRealm().getName())
            + "/passkeys/v1/authorize-challenge");
  }
}
