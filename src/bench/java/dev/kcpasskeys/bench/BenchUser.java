package dev.kcpasskeys.bench;

import dev.kcpasskeys.testing.BenchCredentials;
import dev.kcpasskeys.testing.SoftCredential;
import java.nio.charset.StandardCharsets;

/** A seeded user: Keycloak id (= WebAuthn user handle), username, and their passkeys' credential IDs. */
record BenchUser(int index, String id, String username, byte[][] credentialIds) {

  /** One of the user's passkeys as the soft authenticator holds it; counter 0, as synced passkeys report. */
  SoftCredential passkey(int which, KeyPool keys, String rpId) {
    return BenchCredentials.of(credentialIds[which], keys.key(index, which), rpId,
        id.getBytes(StandardCharsets.UTF_8), 0);
  }
}
