package dev.kcpasskeys.testing;

/** Makes {@link SoftCredential}s for passkeys the benchmark seeded through the admin API (no ceremony). */
public final class BenchCredentials {

  private BenchCredentials() {}

  public static SoftCredential of(byte[] credentialId, SoftKey key, String rpId, byte[] userHandle, long signCount) {
    return new SoftCredential(credentialId, key, rpId, userHandle, signCount);
  }
}
