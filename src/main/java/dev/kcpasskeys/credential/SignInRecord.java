package dev.kcpasskeys.credential;

import java.time.Duration;

/**
 * What an accepted sign-in must write. Keycloak's built-in writes nothing for a passkey whose
 * counter stays 0 (most synced passkeys). Ours records last use and the backup state; done as a
 * separate transaction plus a cluster-wide user-cache eviction on every sign-in, that bookkeeping
 * (and the reload of the evicted user by the token request that follows) was what made our sign-in
 * cost about a quarter more server CPU than the built-in's (benchmark profile, issue #6). So:
 *
 * <ul>
 *   <li>{@link Write#COUNTER_OR_FLAGS}: the signature counter went up (WebAuthn L3 §7.2 steps
 *       22-23: the stored value must follow it, or a cloned authenticator replaying older counters
 *       goes unnoticed), or the backup flags changed or were never seen (synced badge, amr). These
 *       decide later sign-ins, so they are written carefully and every node's cache is refreshed.
 *   <li>{@link Write#LAST_USE}: only the last use is new. Written straight to the database without
 *       touching the user cache; what shows last use (page, APIs) reads it from the database. Kept
 *       at a resolution of {@link #LAST_USE_RESOLUTION}, like Keycloak's own session "last
 *       refresh": repeated sign-ins within it write nothing.
 * </ul>
 */
public final class SignInRecord {

  /** How stale a recorded last use may get before a sign-in writes a new one. */
  public static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(15);

  public enum Write {
    NOTHING,
    LAST_USE,
    COUNTER_OR_FLAGS
  }

  private SignInRecord() {}

  /** Decided on the passkey as this request read it (possibly a cached copy). */
  public static Write needed(
      Passkey passkey, long newSignCount, boolean backupState, long nowMillis) {
    PasskeyMetadata metadata = passkey.metadata();
    boolean counterAdvanced = newSignCount > passkey.stored().signCount();
    boolean flagsChanged =
        metadata.backupEligibleFlag().isEmpty() || metadata.backupState() != backupState;
    if (counterAdvanced || flagsChanged) {
      return Write.COUNTER_OR_FLAGS;
    }
    return lastUseDue(metadata, nowMillis) ? Write.LAST_USE : Write.NOTHING;
  }

  static boolean lastUseDue(PasskeyMetadata metadata, long nowMillis) {
    return lastUseDue(metadata.lastUsedAt(), nowMillis);
  }

  static boolean lastUseDue(long lastUsedAtMillis, long nowMillis) {
    return nowMillis - lastUsedAtMillis >= LAST_USE_RESOLUTION.toMillis();
  }
}
