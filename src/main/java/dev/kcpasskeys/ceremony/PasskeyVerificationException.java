package dev.kcpasskeys.ceremony;

import java.util.Objects;

/** A ceremony response that must be rejected; {@link #reason()} says why. */
public final class PasskeyVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a response was rejected. */
  public enum Reason {
    MALFORMED,
    TOO_LARGE,
    WRONG_TYPE,
    CHALLENGE_MISMATCH,
    ORIGIN_MISMATCH,
    CROSS_ORIGIN,
    TOP_ORIGIN,
    RP_ID_MISMATCH,
    USER_PRESENCE,
    USER_VERIFICATION,
    ALGORITHM_NOT_ALLOWED,
    BAD_BACKUP_FLAGS,
    BACKUP_ELIGIBILITY_CHANGED,
    ATTESTATION,
    /**
     * The attestation's certificates do not chain to the roots the metadata lists for the model.
     */
    ATTESTATION_UNTRUSTED,
    /** The metadata marks the authenticator model as revoked or compromised. */
    MODEL_REFUSED,
    /** The authenticator metadata could not be loaded (nothing was decided about the passkey). */
    METADATA_UNAVAILABLE,
    AAGUID_NOT_ALLOWED,
    CREDENTIAL_ID_TOO_LONG,
    CREDENTIAL_ID_TAKEN,
    USER_HANDLE_MISSING,
    /**
     * Also used for a credential not owned by the user handle and for a bad signature: uniform to
     * clients.
     */
    UNKNOWN_CREDENTIAL,
    COUNTER_REGRESSION
  }

  private final Reason reason;

  public PasskeyVerificationException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PasskeyVerificationException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /**
   * True when clients must see one indistinguishable error for this reason, so that an attacker
   * cannot tell an unknown credential from a foreign one or from a bad signature (credential
   * enumeration).
   */
  public boolean isUniformToClient() {
    return reason == Reason.UNKNOWN_CREDENTIAL || reason == Reason.USER_HANDLE_MISSING;
  }
}
