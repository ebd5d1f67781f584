package dev.kcpasskeys.testing;

import java.util.Base64;

/** A passkey held by a {@link SoftAuthenticator}: its ID, key, owner and signature counter. */
public final class SoftCredential {

  private final byte[] id;
  private final SoftKey key;
  private final String rpId;
  private final byte[] userHandle;
  private long signCount;

  SoftCredential(byte[] id, SoftKey key, String rpId, byte[] userHandle, long signCount) {
    this.id = id.clone();
    this.key = key;
    this.rpId = rpId;
    this.userHandle = userHandle.clone();
    this.signCount = signCount;
  }

  public byte[] id() {
    return id.clone();
  }

  public String idBase64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  public SoftKey key() {
    return key;
  }

  public String rpId() {
    return rpId;
  }

  public byte[] userHandle() {
    return userHandle.clone();
  }

  public synchronized long signCount() {
    return signCount;
  }

  /** Advances the counter by {@code step} and returns the new value (unchanged when step is 0). */
  synchronized long advance(long step) {
    signCount += step;
    return signCount;
  }
}
