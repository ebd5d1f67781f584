package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.BACKUP_ELIGIBILITY_CHANGED;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.BAD_BACKUP_FLAGS;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.COUNTER_REGRESSION;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.RP_ID_MISMATCH;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.USER_PRESENCE;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.USER_VERIFICATION;

import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Our checks of an assertion's authenticator data against the relying party and the credential
 * record. They are the checks webauthn4j's {@code verify} made, in its order, with the same
 * outcomes; we make them ourselves because that call also verifies the signature, with the JDK's
 * provider and no way to choose another (see {@link SignatureCheck}).
 */
final class AssertionDataChecks {

  private AssertionDataChecks() {}

  /** Steps 15 to 19, which come before the signature. */
  static void verifyBeforeSignature(
      AuthenticatorData<?> authData, RelyingPartySettings rp, StoredPasskey stored)
      throws PasskeyVerificationException {
    verifyRpIdHash(authData, rp);
    verifyUserPresent(authData);
    verifyUserVerified(authData, rp);
    verifyBackupFlags(authData);
    verifyBackupEligibilityUnchanged(authData, stored.backupEligible());
    // Extension outputs: we request none, and the spec (§9) lets a relying party ignore unsolicited
    // ones;
    // their CBOR was already parsed strictly with the authenticator data.
  }

  private static void verifyRpIdHash(AuthenticatorData<?> authData, RelyingPartySettings rp)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 15: rpIdHash is the SHA-256 hash of the RP ID the relying party expects
    byte[] expected = sha256(rp.rpId().getBytes(StandardCharsets.UTF_8));
    if (!MessageDigest.isEqual(expected, authData.getRpIdHash())) {
      throw new PasskeyVerificationException(
          RP_ID_MISMATCH, "rpIdHash is not the hash of " + rp.rpId());
    }
  }

  private static void verifyUserPresent(AuthenticatorData<?> authData)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 16: the UP flag is set
    if (!authData.isFlagUP()) {
      throw new PasskeyVerificationException(USER_PRESENCE, "the UP flag is not set");
    }
  }

  private static void verifyUserVerified(AuthenticatorData<?> authData, RelyingPartySettings rp)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 17: the UV flag is set when the relying party requires user
    // verification
    if (rp.userVerificationRequired() && !authData.isFlagUV()) {
      throw new PasskeyVerificationException(USER_VERIFICATION, "the UV flag is not set");
    }
  }

  private static void verifyBackupFlags(AuthenticatorData<?> authData)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 18: a credential that is not backup eligible cannot be backed up (BS=1
    // needs BE=1)
    if (!authData.isFlagBE() && authData.isFlagBS()) {
      throw new PasskeyVerificationException(
          BAD_BACKUP_FLAGS, "the BS flag is set without the BE flag");
    }
  }

  private static void verifyBackupEligibilityUnchanged(
      AuthenticatorData<?> authData, Optional<Boolean> registeredEligibility)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 19: BE is fixed when the credential is created; a change means another
    // authenticator or a tampered response. Legacy records that never saw BE have nothing to
    // compare.
    if (registeredEligibility.isPresent() && registeredEligibility.get() != authData.isFlagBE()) {
      throw new PasskeyVerificationException(
          BACKUP_ELIGIBILITY_CHANGED,
          "the BE flag changed from " + registeredEligibility.get() + " at registration");
    }
  }

  /**
   * Step 22, after the signature: a counter that does not increase suggests a cloned authenticator.
   */
  static void verifySignCount(AuthenticatorData<?> authData, StoredPasskey stored)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 22: when either counter is non-zero, the new one must be greater than
    // the stored one
    long presented = authData.getSignCount();
    if ((presented != 0 || stored.signCount() != 0) && presented <= stored.signCount()) {
      throw new PasskeyVerificationException(
          COUNTER_REGRESSION,
          "signature counter "
              + presented
              + " is not greater than the stored "
              + stored.signCount());
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
