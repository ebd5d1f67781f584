package dev.kcpasskeys.rest;

import dev.kcpasskeys.config.PasskeySettings;
import java.util.Arrays;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The caller of the app API: a bearer token of this realm, for an active user session, carrying
 * the {@code passkeys} scope the admin grants to apps allowed to manage passkeys.
 */
public record ApiCaller(UserModel user, UserSessionModel userSession, AccessToken token, ClientModel client) {

  public static final String SCOPE = "passkeys";

  /** 401 without a valid token of this realm (expired, logged out, other realm); 403 without the scope. */
  public static ApiCaller authenticate(KeycloakSession session, RealmModel realm) {
    AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm)
        .setConnection(session.getContext().getConnection())
        .setHeaders(session.getContext().getRequestHeaders())
        .authenticate();
    if (auth == null || auth.user() == null || auth.session() == null) {
      throw new ApiError(401, "invalid_token", "a valid access token of this realm for an active session is required");
    }
    String scope = auth.token().getScope() == null ? "" : auth.token().getScope();
    if (Arrays.stream(scope.split(" ")).noneMatch(SCOPE::equals)) {
      throw new ApiError(403, "insufficient_scope", "the access token lacks the '" + SCOPE + "' scope");
    }
    return new ApiCaller(auth.user(), auth.session(), auth.token(), auth.client());
  }

  /**
   * When the user last proved who they are: the token's auth_time when the client maps it, else
   * the session's own record of its last authentication (set again on every re-authentication).
   */
  long authTime() {
    if (token.getAuth_time() != null && token.getAuth_time() > 0) {
      return token.getAuth_time();
    }
    String note = userSession.getNote(AuthenticationManager.AUTH_TIME);
    try {
      return note != null ? Long.parseLong(note) : userSession.getStarted();
    } catch (NumberFormatException garbled) {
      return userSession.getStarted();
    }
  }

  /**
   * Changes need a recent sign-in (checklist §0.8, CVE-2026-3429): the token's auth_time must be
   * within the realm's re-authentication window, else the app sends the user through
   * {@code prompt=login} / {@code max_age} first.
   */
  public void requireRecentSignIn(RealmModel realm) {
    long authTime = authTime();
    long maxAge = PasskeySettings.reauthenticationSeconds(realm);
    long now = System.currentTimeMillis() / 1000;
    if (authTime <= 0 || now - authTime > maxAge) {
      throw new ApiError(403, "reauthentication_required",
          "sign in again (max_age=" + maxAge + ") before changing passkeys");
    }
  }
}
