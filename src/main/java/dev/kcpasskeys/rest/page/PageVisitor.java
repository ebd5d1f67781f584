package dev.kcpasskeys.rest.page;

import dev.kcpasskeys.rest.RecentSignIn;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/** The person on the passkeys page: whoever Keycloak's identity cookie (the SSO session) says. */
record PageVisitor(UserModel user, UserSessionModel userSession) {

  /**
   * Empty when the browser has no active session of this realm (never signed in, expired, signed
   * out).
   */
  static Optional<PageVisitor> fromCookie(KeycloakSession session, RealmModel realm) {
    AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
    if (auth == null || auth.user() == null || auth.session() == null || !auth.user().isEnabled()) {
      return Optional.empty();
    }
    return Optional.of(new PageVisitor(auth.user(), auth.session()));
  }

  void requireRecentSignIn(RealmModel realm) {
    RecentSignIn.require(realm, RecentSignIn.authTime(userSession));
  }

  /** Adding and deleting: recent, and with a passkey for users who have one. */
  void requireStrongSignIn(KeycloakSession session, RealmModel realm) {
    RecentSignIn.requireStrong(
        session, realm, user, userSession, RecentSignIn.authTime(userSession));
  }
}
