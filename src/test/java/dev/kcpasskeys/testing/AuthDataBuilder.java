package dev.kcpasskeys.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Builds authenticator data (WebAuthn L3 §6.1) byte by byte. */
final class AuthDataBuilder {

  static final int UP = 0x01;
  static final int UV = 0x04;
  static final int BE = 0x08;
  static final int BS = 0x10;
  static final int AT = 0x40;

  private AuthDataBuilder() {}

  static byte[] registration(
      String rpId, Tweaks tweaks, long signCount, byte[] credentialId, SoftKey key) {
    ByteArrayOutputStream out = header(rpId, tweaks, signCount, AT);
    UUID aaguid = tweaks.aaguid != null ? tweaks.aaguid : new UUID(0, 0);
    out.writeBytes(
        ByteBuffer.allocate(16)
            .putLong(aaguid.getMostSignificantBits())
            .putLong(aaguid.getLeastSignificantBits())
            .array());
    out.write((credentialId.length >>> 8) & 0xff);
    out.write(credentialId.length & 0xff);
    out.writeBytes(credentialId);
    out.writeBytes(key.coseKey(tweaks.declaredAlg != null ? tweaks.declaredAlg : key.alg().coseId));
    return out.toByteArray();
  }

  static byte[] assertion(String rpId, Tweaks tweaks, long signCount) {
    return header(rpId, tweaks, signCount, tweaks.atOnAssertion ? AT : 0).toByteArray();
  }

  private static ByteArrayOutputStream header(
      String rpId, Tweaks tweaks, long signCount, int extraFlags) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(sha256(tweaks.rpIdForHash != null ? tweaks.rpIdForHash : rpId));
    int flags =
        extraFlags
            | (tweaks.up ? UP : 0)
            | (tweaks.uv ? UV : 0)
            | (tweaks.be ? BE : 0)
            | (tweaks.bs ? BS : 0);
    out.write(flags);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) signCount).array());
    return out;
  }

  static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
