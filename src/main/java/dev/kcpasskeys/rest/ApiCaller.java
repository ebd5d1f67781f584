package dev.kcpasskeys.rest;

import java.util.Arrays;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The caller of the app API: a bearer token of this realm, for an active user session, carrying the
 * {@code passkeys} scope the admin grants to apps allowed to manage passkeys.
 */
public record ApiCaller(
    UserModel user, UserSessionModel userSession, AccessToken token, ClientModel client) {

  public static final String SCOPE = "passkeys";

  /**
   * 401 without a valid token of this realm (expired, logged out, other realm); 403 without the
   * scope.
   */
  public static ApiCaller authenticate(KeycloakSession session, RealmModel realm) {
    AuthResult auth =
        new AppAuthManager.BearerTokenAuthenticator(session)
            .setRealm(realm)
            .setConnection(session.getContext().getConnection())
            .setHeaders(session.getContext().getRequestHeaders())
            .authenticate();
    if (auth == null || auth.user() == null || auth.session() == null) {
      throw new ApiError(
          401,
          "invalid_token",
          "a valid access token of this realm for an active session is required");
    }
    if (auth.user().getServiceAccountClientLink() != null) {
      // A client acting for itself has no passkeys; this API is for a signed-in person (#20).
      throw new ApiError(
          403, "user_token_required", "a user's access token is required, not a service account's");
    }
    String scope = auth.token().getScope() == null ? "" : auth.token().getScope();
    if (Arrays.stream(scope.split(" ")).noneMatch(SCOPE::equals) || !granted(auth.client())) {
      throw new ApiError(
          403, "insufficient_scope", "the access token lacks the '" + SCOPE + "' scope");
    }
    return new ApiCaller(auth.user(), auth.session(), auth.token(), auth.client());
  }

  /** The token's client has the scope (default or optional), not only a token that says so. */
  private static boolean granted(ClientModel client) {
    return client != null
        && (client.getClientScopes(true).containsKey(SCOPE)
            || client.getClientScopes(false).containsKey(SCOPE));
  }

  /**
   * When the user last proved who they are: the token's auth_time when the client maps it, else the
   * session's.
   */
  long authTime() {
    if (token.getAuth_time() != null && token.getAuth_time() > 0) {
      return token.getAuth_time();
    }
    return RecentSignIn.authTime(userSession);
  }

  /**
   * Changes need a recent sign-in; else the app sends the user through {@code prompt=login} /
   * {@code max_age} first.
   */
  public void requireRecentSignIn(RealmModel realm) {
    RecentSignIn.require(realm, authTime());
  }

  /** Adding and deleting: recent, and with a passkey for users who have one. */
  public void requireStrongSignIn(KeycloakSession session, RealmModel realm) {
    RecentSignIn.requireStrong(session, realm, user, userSession, authTime());
  }
}
