package dev.kcpasskeys.signin;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequestParserProcessor;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.context.PreAuthorizationRequestContext;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The admin's client policies (Realm settings, Client policies) for a first-party sign-in, run on
 * the same two events as at the authorization endpoint: before the request is parsed and once its
 * authentication session exists. A policy that refuses answers with its own error, as the
 * authorization endpoint would; one that cannot judge a request without a redirect URI sends the
 * app to the browser, where the policy runs in full. The token endpoint runs its own policies on
 * the code as for any other.
 */
final class FirstPartyClientPolicies {

  private static final Logger LOG = Logger.getLogger(FirstPartyClientPolicies.class);

  /**
   * The parameters the policies see: only those the first-party request carries, never a
   * request_uri.
   */
  private static final List<String> PASSED =
      List.of(
          OIDCLoginProtocol.SCOPE_PARAM,
          OIDCLoginProtocol.NONCE_PARAM,
          OIDCLoginProtocol.ACR_PARAM,
          OIDCLoginProtocol.CODE_CHALLENGE_PARAM,
          OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM);

  private final KeycloakSession session;
  private final ClientModel client;
  private final MultivaluedMap<String, String> params = new MultivaluedHashMap<>();

  FirstPartyClientPolicies(
      KeycloakSession session, ClientModel client, MultivaluedMap<String, String> form) {
    this.session = session;
    this.client = client;
    params.putSingle(OIDCLoginProtocol.CLIENT_ID_PARAM, client.getClientId());
    params.putSingle(OIDCLoginProtocol.RESPONSE_TYPE_PARAM, OIDCResponseType.CODE);
    for (String name : PASSED) {
      String value = form.getFirst(name);
      if (value != null) {
        params.putSingle(name, value);
      }
    }
  }

  /** Before anything is created: the policies' pre-authorization event. */
  Optional<ChallengeAnswer> beforeRequest(EventBuilder event) {
    return run(event, () -> new PreAuthorizationRequestContext(client.getClientId(), params));
  }

  /**
   * With the new authentication session: the policies' authorization-request event. The request is
   * parsed only if a policy reads it (Keycloak's parser looks up a configured length limit for each
   * parameter: most of this step's cost where no policy applies).
   */
  Optional<ChallengeAnswer> onRequest(EventBuilder event, AuthenticationSessionModel authSession) {
    return run(
        event,
        () ->
            new AuthorizationRequestContext(
                OIDCResponseType.parse(OIDCResponseType.CODE), null, null, params, authSession) {
              private AuthorizationEndpointRequest parsed;

              @Override
              public AuthorizationEndpointRequest getAuthorizationEndpointRequest() {
                if (parsed == null) {
                  parsed =
                      AuthorizationEndpointRequestParserProcessor.parseRequest(
                          event,
                          session,
                          client,
                          params,
                          AuthorizationEndpointRequestParserProcessor.EndpointType
                              .OIDC_AUTH_ENDPOINT);
                }
                return parsed;
              }

              @Override
              public String getScopeParameter() {
                return getAuthorizationEndpointRequest().getScope();
              }
            });
  }

  private Optional<ChallengeAnswer> run(EventBuilder event, Supplier<ClientPolicyContext> context) {
    try {
      session.clientPolicy().triggerOnEvent(context.get());
      return Optional.empty();
    } catch (ClientPolicyException refused) {
      event
          .detail(Details.REASON, "client_policy_error")
          .detail("client_policy_error", refused.getError())
          .detail("client_policy_error_detail", refused.getErrorDetail())
          .error(refused.getError());
      // The authorization endpoint sends the policy's error to the app's redirect URI whatever
      // its status; here it is the draft's error answer, always 400.
      return Optional.of(ChallengeAnswer.error(400, refused.getError(), refused.getErrorDetail()));
    } catch (RuntimeException cannotJudge) {
      // A policy that needs what only the authorization endpoint has (a redirect URI): the
      // browser runs it in full.
      LOG.debugf(cannotJudge, "client %s: a client policy needs the browser", client.getClientId());
      return Optional.of(
          ChallengeAnswer.redirectToWeb(
              "this app's client policies need the authorization endpoint"));
    }
  }
}
