package dev.kcpasskeys.authenticator;

import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;

/**
 * Which failed attempts on the passkey page count toward Keycloak's brute-force protection.
 *
 * <ul>
 *   <li>Wrong passwords need nothing here: the authenticator's category is "password", so Keycloak
 *       counts them itself, exactly as for its own username and password form (and an unknown
 *       username counts for no one, as there).
 *   <li>A passkey ceremony that fails after an earlier step identified the user (username first,
 *       step-up) counts as Keycloak counts a wrong OTP code: a login failure and a second-factor
 *       failure for that user.
 *   <li>A discoverable attempt counts for no one: its user handle is whatever the sender chose, so
 *       an unknown or someone else's credential must not be able to lock a user out.
 *   <li>No attempt, no count: a cancelled dialog, an expired challenge.
 * </ul>
 */
final class FailedAttempts {

  private FailedAttempts() {}

  /** A passkey ceremony failed for a user an earlier step identified. */
  static void passkeyFailedFor(AuthenticationFlowContext context, UserModel identified) {
    RealmModel realm = context.getRealm();
    if (!realm.isBruteForceProtected()) {
      return;
    }
    context
        .getSession()
        .getProvider(BruteForceProtector.class)
        .failedLogin(
            realm,
            identified,
            context.getConnection(),
            context.getUriInfo(),
            Set.of(OTPCredentialModel.TYPE));
  }
}
