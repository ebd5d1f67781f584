package dev.kcpasskeys.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the CBOR attestation object: fmt "none", "packed" self or basic attestation (x5c from
 * {@link AttestationPki}), or an arbitrary fmt.
 */
final class AttestationBuilder {

  private AttestationBuilder() {}

  static byte[] attestationObject(Tweaks tweaks, SoftKey key, byte[] authData, byte[] clientData) {
    Map<Object, Object> attStmt = new LinkedHashMap<>();
    if ("packed".equals(tweaks.fmt) && tweaks.attestationCertificate != null) {
      // Basic attestation (§8.2 verification procedure, x5c present): ES256 by the certificate's
      // key.
      attStmt.put("alg", -7L);
      byte[] sig = signWith(tweaks.attestationCertificate, signedData(authData, clientData));
      if (tweaks.corruptSignature) {
        sig[sig.length - 1] ^= 0x01;
      }
      attStmt.put("sig", sig);
      attStmt.put(
          "x5c", List.of(AttestationPki.encoded(tweaks.attestationCertificate.certificate())));
    } else if ("packed".equals(tweaks.fmt)) {
      attStmt.put("alg", tweaks.declaredAlg != null ? tweaks.declaredAlg : key.alg().coseId);
      byte[] sig = key.sign(signedData(authData, clientData));
      if (tweaks.corruptSignature) {
        sig[sig.length - 1] ^= 0x01;
      }
      attStmt.put("sig", sig);
    }
    Map<Object, Object> attestationObject = new LinkedHashMap<>();
    attestationObject.put("fmt", tweaks.fmt);
    attestationObject.put("attStmt", attStmt);
    attestationObject.put("authData", authData);
    return Cbor.encode(attestationObject);
  }

  private static byte[] signWith(AttestationPki.Issued certificate, byte[] data) {
    try {
      java.security.Signature signature = java.security.Signature.getInstance("SHA256withECDSA");
      signature.initSign(certificate.key());
      signature.update(data);
      return signature.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * authenticatorData || SHA-256(clientDataJSON): what assertion and packed attestation signatures
   * cover.
   */
  static byte[] signedData(byte[] authData, byte[] clientData) {
    byte[] hash = AuthDataBuilder.sha256(clientData);
    byte[] data = new byte[authData.length + hash.length];
    System.arraycopy(authData, 0, data, 0, authData.length);
    System.arraycopy(hash, 0, data, authData.length, hash.length);
    return data;
  }
}
