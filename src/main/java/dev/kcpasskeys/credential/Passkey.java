package dev.kcpasskeys.credential;

import dev.kcpasskeys.ceremony.StoredPasskey;
import java.util.Optional;
import java.util.UUID;

/**
 * One stored passkey as the page, the API and the login code see it.
 *
 * @param id Keycloak's credential model id (what the API and page call the passkey's id)
 * @param type {@code webauthn-passwordless} (passkey) or {@code webauthn} (Keycloak two-factor key)
 * @param name the user's label
 * @param createdAt epoch millis
 * @param stored the ceremony's storage-neutral view (credential id, key, counter, flags)
 * @param metadata BE/BS, last use, source
 */
public record Passkey(
    String id,
    String type,
    String name,
    long createdAt,
    StoredPasskey stored,
    PasskeyMetadata metadata) {

  public Optional<UUID> aaguid() {
    return stored.aaguid();
  }

  /**
   * Synced passkeys (backed up to a password manager or platform account) versus this-device ones.
   */
  public boolean synced() {
    return metadata.backupState();
  }
}
