package dev.kcpasskeys.ceremony;

import java.util.Optional;

/** Read access to the realm's stored passkeys; implemented by the storage layer. */
public interface PasskeyLookup {

  /** Whether any user of this realm already has a credential with this ID. */
  boolean credentialIdExists(byte[] credentialId);

  /**
   * The credential record with this credential ID of the user with this user handle; empty (never
   * null) when that user does not exist or has no such credential.
   */
  Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId);
}
