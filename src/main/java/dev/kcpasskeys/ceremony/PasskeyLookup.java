package dev.kcpasskeys.ceremony;

import java.util.List;

/** Read access to the realm's stored passkeys; implemented by the storage layer. */
public interface PasskeyLookup {

  /** Whether any user of this realm already has a credential with this ID. */
  boolean credentialIdExists(byte[] credentialId);

  /** All passkeys of the user with this user handle; empty (never null) when there are none. */
  List<StoredPasskey> findByUserHandle(byte[] userHandle);
}
