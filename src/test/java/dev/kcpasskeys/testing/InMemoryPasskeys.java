package dev.kcpasskeys.testing;

import dev.kcpasskeys.ceremony.PasskeyLookup;
import dev.kcpasskeys.ceremony.StoredPasskey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A realm's passkey storage in memory, for tests. */
public final class InMemoryPasskeys implements PasskeyLookup {

  private final List<StoredPasskey> passkeys = new ArrayList<>();

  public synchronized void save(StoredPasskey passkey) {
    passkeys.removeIf(p -> p.hasCredentialId(passkey.credentialId()));
    passkeys.add(passkey);
  }

  public synchronized List<StoredPasskey> all() {
    return List.copyOf(passkeys);
  }

  @Override
  public synchronized boolean credentialIdExists(byte[] credentialId) {
    return passkeys.stream().anyMatch(p -> p.hasCredentialId(credentialId));
  }

  public synchronized List<StoredPasskey> findByUserHandle(byte[] userHandle) {
    return passkeys.stream().filter(p -> Arrays.equals(p.userHandle(), userHandle)).toList();
  }

  @Override
  public synchronized Optional<StoredPasskey> findCredential(
      byte[] userHandle, byte[] credentialId) {
    return passkeys.stream()
        .filter(p -> Arrays.equals(p.userHandle(), userHandle) && p.hasCredentialId(credentialId))
        .findFirst();
  }
}
