package dev.kcpasskeys.bench;

import dev.kcpasskeys.testing.SoftKey;
import java.util.Base64;

/**
 * A few ES256 key pairs shared by all seeded passkeys (credential IDs stay unique): the server
 * verifies a real signature either way, and 100 000 × 20 key pairs would not fit in memory.
 */
final class KeyPool {

  private static final int SIZE = 32;
  private final SoftKey[] keys = new SoftKey[SIZE];
  private final String[] coseKeys = new String[SIZE];

  KeyPool() {
    for (int i = 0; i < SIZE; i++) {
      keys[i] = SoftKey.generate(SoftKey.Alg.ES256);
      coseKeys[i] = Base64.getUrlEncoder().withoutPadding().encodeToString(keys[i].coseKey(-7));
    }
  }

  SoftKey key(int user, int passkey) {
    return keys[slot(user, passkey)];
  }

  /** The COSE_Key of {@link #key}, base64url: Keycloak's credentialPublicKey. */
  String coseKey(int user, int passkey) {
    return coseKeys[slot(user, passkey)];
  }

  private static int slot(int user, int passkey) {
    return Math.floorMod(user * 31 + passkey, SIZE);
  }
}
