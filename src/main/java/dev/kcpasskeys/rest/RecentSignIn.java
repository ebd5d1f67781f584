package dev.kcpasskeys.rest;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.credential.PasskeyStore;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The recent-sign-in rule for changing passkeys (checklist §0.8, CVE-2026-3429), shared by the app
 * API and the passkeys page: the last authentication must be within the realm's window.
 */
public final class RecentSignIn {

  private RecentSignIn() {}

  /** The session's own record of its last authentication (set again on every re-authentication). */
  public static long authTime(UserSessionModel userSession) {
    String note = userSession.getNote(AuthenticationManager.AUTH_TIME);
    try {
      return note != null ? Long.parseLong(note) : userSession.getStarted();
    } catch (NumberFormatException garbled) {
      return userSession.getStarted();
    }
  }

  /**
   * For adding and deleting passkeys: a recent sign-in ({@link #require}) as strong as the user's
   * strongest credential. A user who has a passkey must have used one recently, not only a
   * password: else 403 {@code passkey_reauthentication_required}, and the app signs the user in
   * again with {@code acr_values=phr}. (Renaming needs the recent sign-in only.)
   */
  public static void requireStrong(
      KeycloakSession session,
      RealmModel realm,
      UserModel user,
      UserSessionModel userSession,
      long authTime) {
    require(realm, authTime);
    boolean hasPasskey =
        new PasskeyStore(session, realm)
            .list(user).stream().anyMatch(p -> PasskeyIds.CREDENTIAL_TYPE.equals(p.type()));
    if (!hasPasskey) {
      return;
    }
    long passkeyTime = seconds(userSession.getNote(PasskeyIds.PASSKEY_AUTH_TIME_NOTE));
    long now = System.currentTimeMillis() / 1000;
    if (passkeyTime <= 0 || now - passkeyTime > PasskeySettings.reauthenticationSeconds(realm)) {
      throw new ApiError(
          403,
          "passkey_reauthentication_required",
          "this account has a passkey: sign in again with one (acr_values=phr) before adding or"
              + " deleting passkeys");
    }
  }

  private static long seconds(String note) {
    try {
      return note == null ? 0 : Long.parseLong(note);
    } catch (NumberFormatException garbled) {
      return 0;
    }
  }

  /** 403 {@code reauthentication_required} when {@code authTime} (epoch seconds) is too old. */
  public static void require(RealmModel realm, long authTime) {
    long maxAge = PasskeySettings.reauthenticationSeconds(realm);
    long now = System.currentTimeMillis() / 1000;
    if (authTime <= 0 || now - authTime > maxAge) {
      throw new ApiError(
          403,
          "reauthentication_required",
          "sign in again (max_age=" + maxAge + ") before changing passkeys");
    }
  }
}
