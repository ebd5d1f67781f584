package dev.kcpasskeys.rest;

import dev.kcpasskeys.ceremony.PasskeyCeremony;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.signin.ChallengeAnswer;
import dev.kcpasskeys.signin.FirstPartySignIn;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.utils.AuthorizeClientUtil;

/**
 * {@code POST /realms/{realm}/passkeys/v1/authorize-challenge}: the Authorization Challenge
 * Endpoint of OAuth 2.0 for First-Party Applications, with passkeys ({@link FirstPartySignIn}).
 * Form-encoded requests, JSON answers, never cached. Only apps an admin marked first-party may use
 * it; every other app is told to use the browser ({@code redirect_to_web}).
 */
public final class AuthorizationChallengeResource {

  private final KeycloakSession session;
  private final RealmModel realm;
  private final PasskeyCeremony ceremony;

  public AuthorizationChallengeResource(KeycloakSession session, PasskeyCeremony ceremony) {
    this.session = session;
    this.realm = session.getContext().getRealm();
    this.ceremony = ceremony;
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response challenge() {
    MultivaluedMap<String, String> form =
        session.getContext().getHttpRequest().getDecodedFormParameters();
    ClientModel client = client(form.getFirst("client_id"));
    try {
      return answer(client, decide(client, form));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @OPTIONS
  public Response preflight() {
    return ApiCors.preflight(session.getContext().getRequestHeaders().getHeaderString("Origin"));
  }

  private ChallengeAnswer decide(ClientModel client, MultivaluedMap<String, String> form)
      throws IOException {
    if (!PasskeySettings.read(realm).enabled()) {
      return ChallengeAnswer.error(
          400, "invalid_request", "passkeys are not enabled in this realm");
    }
    if (client == null) {
      return ChallengeAnswer.error(401, "invalid_client", "unknown or disabled client_id");
    }
    if (!FirstPartySignIn.isFirstParty(client)
        || client.isBearerOnly()
        || !client.isStandardFlowEnabled()
        || !OIDCLoginProtocol.LOGIN_PROTOCOL.equals(client.getProtocol())) {
      return ChallengeAnswer.error(
          400,
          "redirect_to_web",
          "this app signs users in through the browser (the authorization endpoint); an admin"
              + " marks first-party apps with the client attribute "
              + FirstPartySignIn.FIRST_PARTY_ATTRIBUTE);
    }
    session.getContext().setClient(client);
    EventBuilder event =
        new EventBuilder(realm, session, session.getContext().getConnection())
            .event(EventType.LOGIN)
            .client(client);
    try {
      // Public apps name themselves; confidential ones authenticate as at the token endpoint.
      // No Cors object: on failure Keycloak would allow every origin on this very answer.
      AuthorizeClientUtil.authorizeClient(session, event, null);
    } catch (WebApplicationException refused) {
      return ChallengeAnswer.error(401, "invalid_client", "the client did not authenticate");
    }
    String handle = form.getFirst("auth_session");
    if (handle == null) {
      return new FirstPartySignIn(session, ceremony).challenge(client, form, event);
    }
    String response = form.getFirst("passkey_response");
    if (response == null || response.isBlank() || response.length() > JsonBody.MAX_BYTES) {
      return ChallengeAnswer.error(
          400, "invalid_request", "passkey_response (the AuthenticationResponseJSON) is required");
    }
    return new FirstPartySignIn(session, ceremony).complete(client, handle, response, event);
  }

  private ClientModel client(String clientId) {
    if (clientId == null || clientId.isBlank()) {
      return null;
    }
    ClientModel client = realm.getClientByClientId(clientId);
    return client != null && client.isEnabled() ? client : null;
  }

  private Response answer(ClientModel client, ChallengeAnswer answer) {
    try {
      Response.ResponseBuilder response =
          Response.status(answer.status())
              .entity(MePasskeysResource.JSON.writeValueAsString(answer.body()))
              .type(MediaType.APPLICATION_JSON_TYPE)
              .header("Cache-Control", "no-store")
              .header("Pragma", "no-cache");
      if (answer.status() == 429) {
        response.header("Retry-After", "60");
      }
      return ApiCors.addFor(response, session, client);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
