package dev.kcpasskeys.ceremony;

import java.util.Objects;

/**
 * An accepted assertion.
 *
 * @param passkey the stored credential record that was used (as it was before this assertion)
 * @param newSignCount the signature counter presented; store it
 * @param backupEligible the BE flag presented; store it when the record has none yet (§7.2 step 19
 *     compares later assertions with it)
 * @param backupState the BS flag presented; store it
 * @param userVerified the UV flag presented
 */
public record VerifiedAssertion(
    StoredPasskey passkey,
    long newSignCount,
    boolean backupEligible,
    boolean backupState,
    boolean userVerified) {

  public VerifiedAssertion {
    Objects.requireNonNull(passkey, "passkey");
  }

  /**
   * The record to store after this assertion (WebAuthn L3 §7.2 step 23): the counter and BS
   * presented, the BE presented where the record has none, uvInitialized as it was. The one place
   * that decides it; the storage writes what this says.
   */
  public StoredPasskey updatedPasskey() {
    return passkey.afterAssertion(newSignCount, backupEligible, backupState, userVerified);
  }
}
