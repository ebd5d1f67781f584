package dev.kcpasskeys.ceremony;

import java.util.Objects;
import java.util.Optional;

/**
 * Wraps the storage layer so that its failures are told apart from malformed input: the ceremony
 * maps every RuntimeException to a rejection, except these, which {@link PasskeyCeremony} rethrows
 * unchanged.
 */
final class GuardedLookup implements PasskeyLookup {

  /** A storage-layer failure in transit through the ceremony. */
  static final class StorageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageFailure(RuntimeException cause) {
      super(cause);
    }

    RuntimeException original() {
      return (RuntimeException) getCause();
    }
  }

  private final PasskeyLookup delegate;

  GuardedLookup(PasskeyLookup delegate) {
    this.delegate = Objects.requireNonNull(delegate, "lookup");
  }

  @Override
  public boolean credentialIdExists(byte[] credentialId) {
    try {
      return delegate.credentialIdExists(credentialId.clone());
    } catch (RuntimeException e) {
      throw new StorageFailure(e);
    }
  }

  @Override
  public Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId) {
    Optional<StoredPasskey> passkey;
    try {
      passkey = delegate.findCredential(userHandle.clone(), credentialId.clone());
    } catch (RuntimeException e) {
      throw new StorageFailure(e);
    }
    return passkey == null ? Optional.empty() : passkey;
  }
}
