package dev.kcpasskeys.notify;

import io.micrometer.core.instrument.Metrics;

/**
 * Adoption counters on Keycloak's metrics endpoint ({@code /metrics} on the management port, with
 * {@code --metrics-enabled=true}). Micrometer's global registry is Keycloak's own; the counters
 * live there, not in any state of ours, and each node counts its own requests.
 */
public final class PasskeyMetrics {

  static final String REGISTRATIONS = "keycloak_passkeys_registrations";
  static final String SIGN_INS = "keycloak_passkeys_sign_ins";
  static final String NUDGES = "keycloak_passkeys_nudges";
  static final String NOTIFICATION_EMAILS = "keycloak_passkeys_notification_emails";
  static final String UPGRADES = "keycloak_passkeys_upgrades";

  private PasskeyMetrics() {}

  /** source: login, app, api, nudge, recovery, page, sign-up, upgrade. */
  public static void registration(String realm, String source) {
    Metrics.counter(REGISTRATIONS, "realm", realm, "source", source).increment();
  }

  /** path: autofill, button, username-first, step-up. */
  public static void signIn(String realm, String path) {
    Metrics.counter(SIGN_INS, "realm", realm, "path", path).increment();
  }

  /** outcome: shown, accepted, snoozed, declined, unsupported. */
  public static void nudge(String realm, String outcome) {
    Metrics.counter(NUDGES, "realm", realm, "outcome", outcome).increment();
  }

  /**
   * change: added, removed; outcome: sent, failed (the mail server refused or could not be
   * reached).
   */
  public static void notificationEmail(String realm, String change, String outcome) {
    Metrics.counter(NOTIFICATION_EMAILS, "realm", realm, "change", change, "outcome", outcome)
        .increment();
  }

  /**
   * Automatic passkey upgrades. outcome: tried (a page attempted a conditional create), succeeded
   * (a passkey was stored), fallback (no passkey: the browser declined or the response was refused;
   * the nudge follows if the realm has it on). tried minus the other two is attempts nobody
   * finished.
   */
  public static void upgrade(String realm, String outcome) {
    Metrics.counter(UPGRADES, "realm", realm, "outcome", outcome).increment();
  }
}
