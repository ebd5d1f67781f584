package dev.kcpasskeys.authenticator;

import dev.kcpasskeys.signin.ChallengeAnswer;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.utils.OIDCRedirectUriBuilder;
import org.keycloak.protocol.oidc.utils.OIDCResponseMode;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The standard answer when the user cannot sign in as strongly as the app asked ({@code
 * acr_values=phr} or {@code phrh}): back to the app's redirect URI with {@code
 * error=unmet_authentication_requirements} (OpenID Connect Core 1.0 errata set 2, §3.1.2.6), built
 * as Keycloak builds its own authorization errors (response mode, {@code state}, {@code iss}).
 * Keycloak itself would show an error page and never tell the app.
 */
final class UnmetRequirements {

  static final String ERROR = ChallengeAnswer.UNMET;

  private UnmetRequirements() {}

  static Response redirect(
      KeycloakSession session, AuthenticationSessionModel authSession, String why) {
    RealmModel realm = authSession.getRealm();
    OIDCResponseType type =
        OIDCResponseType.parse(authSession.getClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM));
    OIDCResponseMode mode =
        OIDCResponseMode.parse(
            authSession.getClientNote(OIDCLoginProtocol.RESPONSE_MODE_PARAM), type);
    OIDCRedirectUriBuilder redirect =
        OIDCRedirectUriBuilder.fromUri(authSession.getRedirectUri(), mode, session, null)
            .addParam(OAuth2Constants.ERROR, ERROR)
            .addParam(OAuth2Constants.ERROR_DESCRIPTION, why);
    String state = authSession.getClientNote(OIDCLoginProtocol.STATE_PARAM);
    if (state != null) {
      redirect.addParam(OAuth2Constants.STATE, state);
    }
    if (!OIDCAdvancedConfigWrapper.fromClientModel(authSession.getClient())
        .isExcludeIssuerFromAuthResponse()) {
      redirect.addParam(
          OAuth2Constants.ISSUER,
          Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
    }
    new AuthenticationSessionManager(session)
        .removeTabIdInAuthenticationSession(realm, authSession);
    return redirect.build();
  }
}
