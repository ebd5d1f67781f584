package dev.kcpasskeys.ceremony;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A WebAuthn credential record (WebAuthn L3 §4 "credential record") as the storage layer keeps it.
 *
 * @param credentialId the credential ID (rawId)
 * @param userHandle the user handle the credential was created for
 * @param cosePublicKey the credential public key as CBOR COSE_Key bytes
 * @param signCount the last signature counter seen
 * @param transports transport hints reported at registration
 * @param aaguid the authenticator model, when known
 * @param backupEligible the BE flag seen at registration; empty for legacy records
 * @param backupState the BS flag last seen
 * @param uvInitialized whether the UV flag has been seen for this credential
 */
public record StoredPasskey(
    byte[] credentialId,
    byte[] userHandle,
    byte[] cosePublicKey,
    long signCount,
    Set<String> transports,
    Optional<UUID> aaguid,
    Optional<Boolean> backupEligible,
    boolean backupState,
    boolean uvInitialized) {

  public StoredPasskey {
    credentialId = Objects.requireNonNull(credentialId, "credentialId").clone();
    userHandle = Objects.requireNonNull(userHandle, "userHandle").clone();
    cosePublicKey = Objects.requireNonNull(cosePublicKey, "cosePublicKey").clone();
    transports = Set.copyOf(Objects.requireNonNull(transports, "transports"));
    Objects.requireNonNull(aaguid, "aaguid");
    Objects.requireNonNull(backupEligible, "backupEligible");
    if (signCount < 0 || signCount > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("signCount must be an unsigned 32-bit value");
    }
  }

  @Override
  public byte[] credentialId() {
    return credentialId.clone();
  }

  @Override
  public byte[] userHandle() {
    return userHandle.clone();
  }

  @Override
  public byte[] cosePublicKey() {
    return cosePublicKey.clone();
  }

  /** Whether this record's credential ID equals {@code otherId}. */
  public boolean hasCredentialId(byte[] otherId) {
    return Arrays.equals(credentialId, otherId);
  }

  /** A copy with the state an accepted assertion updates (WebAuthn L3 §7.2 step 23). */
  public StoredPasskey afterAssertion(
      long newSignCount,
      boolean presentedBackupEligible,
      boolean newBackupState,
      boolean userVerified) {
    // A record without BE (Keycloak's built-in registered it) learns the BE flag presented, never
    // BS.
    // uvInitialized stays: §7.2 step 23 lets it become true only with "authorization by an
    // additional
    // authentication factor equivalent to WebAuthn user verification; if not authorized, skip this
    // step",
    // and a sign-in with this very passkey is no such factor.
    return new StoredPasskey(
        credentialId,
        userHandle,
        cosePublicKey,
        newSignCount,
        transports,
        aaguid,
        backupEligible.isPresent() ? backupEligible : Optional.of(presentedBackupEligible),
        newBackupState,
        uvInitialized);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredPasskey that
        && Arrays.equals(credentialId, that.credentialId)
        && Arrays.equals(userHandle, that.userHandle)
        && Arrays.equals(cosePublicKey, that.cosePublicKey)
        && signCount == that.signCount
        && transports.equals(that.transports)
        && aaguid.equals(that.aaguid)
        && backupEligible.equals(that.backupEligible)
        && backupState == that.backupState
        && uvInitialized == that.uvInitialized;
  }

  @Override
  public int hashCode() {
    int hash = Arrays.hashCode(credentialId);
    hash = 31 * hash + Arrays.hashCode(userHandle);
    return 31 * hash + Long.hashCode(signCount);
  }

  @Override
  public String toString() {
    return "StoredPasskey[credentialId="
        + Base64Url.encode(credentialId)
        + ", userHandle="
        + Base64Url.encode(userHandle)
        + ", signCount="
        + signCount
        + ", transports="
        + transports
        + ", aaguid="
        + aaguid
        + ", backupEligible="
        + backupEligible
        + ", backupState="
        + backupState
        + ", uvInitialized="
        + uvInitialized
        + "]";
  }
}
