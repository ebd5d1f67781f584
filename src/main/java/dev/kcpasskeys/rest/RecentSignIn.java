package dev.kcpasskeys.rest;

import dev.kcpasskeys.config.PasskeySettings;
import org.keycloak.models.RealmModel;
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
