package dev.kcpasskeys.config;

import java.util.List;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * "Sign in faster next time": after a password sign-in, offer a passkey to users who have none.
 * Realm attributes hold the policy; user attributes hold each user's answer ("not now" snoozes,
 * "don't ask again" stops it). Both live in the database, so every node agrees.
 *
 * @param enabled off by default
 * @param snoozeDays how long "Not now" lasts (default 14)
 * @param forceAfterSnoozes after this many snoozes the user can no longer defer (0: never forced)
 * @param clients client ids it applies to; empty: all clients
 */
public record NudgePolicy(
    boolean enabled, int snoozeDays, int forceAfterSnoozes, List<String> clients) {

  static final String ENABLED = "passkeys.nudge.enabled";
  static final String SNOOZE_DAYS = "passkeys.nudge.snoozeDays";
  static final String FORCE_AFTER = "passkeys.nudge.forceAfterSnoozes";
  static final String CLIENTS = "passkeys.nudge.clients";
  static final String USER_NEVER = "passkeys.nudge.never";
  static final String USER_SNOOZED_UNTIL = "passkeys.nudge.snoozedUntil";
  static final String USER_SNOOZES = "passkeys.nudge.snoozes";
  private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

  public NudgePolicy {
    clients = List.copyOf(clients);
  }

  public static NudgePolicy read(RealmModel realm) {
    return new NudgePolicy(
        Boolean.parseBoolean(realm.getAttribute(ENABLED)),
        number(realm.getAttribute(SNOOZE_DAYS), 14, 1, 365),
        number(realm.getAttribute(FORCE_AFTER), 0, 0, 100),
        PasskeySettings.splitLines(realm.getAttribute(CLIENTS)));
  }

  public void write(RealmModel realm) {
    realm.setAttribute(ENABLED, Boolean.toString(enabled));
    realm.setAttribute(SNOOZE_DAYS, Integer.toString(snoozeDays));
    realm.setAttribute(FORCE_AFTER, Integer.toString(forceAfterSnoozes));
    if (clients.isEmpty()) {
      realm.removeAttribute(CLIENTS);
    } else {
      realm.setAttribute(CLIENTS, String.join("\n", clients));
    }
  }

  /** Whether to offer a passkey to a user who just signed in with a password and has none. */
  public boolean applies(UserModel user, String clientId, long nowMillis) {
    return offered(user, clientId)
        && (forced(user)
            || nowMillis
                >= number(user.getFirstAttribute(USER_SNOOZED_UNTIL), 0, 0, Long.MAX_VALUE));
  }

  /**
   * Whether to offer a passkey right after account recovery. A "Not now" snooze does not hold it
   * back: recovery is rare and is when a passkey helps most (the password was just lost). "Don't
   * ask again" does: the user asked for no more offers, and recovery is no requirement.
   */
  public boolean appliesAfterRecovery(UserModel user, String clientId) {
    return offered(user, clientId);
  }

  /**
   * The realm offers passkeys for this client, and the user has not declined for good (or is
   * forced).
   */
  private boolean offered(UserModel user, String clientId) {
    if (!enabled || (!clients.isEmpty() && !clients.contains(clientId))) {
      return false;
    }
    return !saidNever(user) || forced(user);
  }

  /** After enough snoozes the admin may require the passkey: no more "Not now". */
  public boolean forced(UserModel user) {
    return forceAfterSnoozes > 0 && snoozes(user) >= forceAfterSnoozes;
  }

  public void snooze(UserModel user, long nowMillis) {
    user.setSingleAttribute(USER_SNOOZED_UNTIL, Long.toString(nowMillis + snoozeDays * DAY_MILLIS));
    user.setSingleAttribute(USER_SNOOZES, Integer.toString(snoozes(user) + 1));
  }

  /** The user answered "Don't ask again". */
  public static boolean saidNever(UserModel user) {
    return Boolean.parseBoolean(user.getFirstAttribute(USER_NEVER));
  }

  public static void neverAsk(UserModel user) {
    user.setSingleAttribute(USER_NEVER, "true");
  }

  static int snoozes(UserModel user) {
    return (int) number(user.getFirstAttribute(USER_SNOOZES), 0, 0, 10_000);
  }

  static int number(String value, int fallback, int min, int max) {
    return (int) number(value, (long) fallback, min, max);
  }

  static long number(String value, long fallback, long min, long max) {
    try {
      long parsed = value == null ? fallback : Long.parseLong(value.trim());
      return parsed < min || parsed > max ? fallback : parsed;
    } catch (NumberFormatException garbled) {
      return fallback;
    }
  }
}
