package dev.kcpasskeys.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A credential key pair of one COSE algorithm, able to sign and to encode its public key as a
 * COSE_Key.
 */
public final class SoftKey {

  /** The COSE algorithms the soft authenticator can create keys for. */
  public enum Alg {
    ES256(-7, "EC", "secp256r1", "SHA256withECDSA", 32),
    ES384(-35, "EC", "secp384r1", "SHA384withECDSA", 48),
    RS256(-257, "RSA", null, "SHA256withRSA", 0),
    EDDSA(-8, "Ed25519", null, "Ed25519", 0);

    public final long coseId;
    final String keyAlgorithm;
    final String curve;
    final String signatureAlgorithm;
    final int coordinateLength;

    Alg(
        long coseId,
        String keyAlgorithm,
        String curve,
        String signatureAlgorithm,
        int coordinateLength) {
      this.coseId = coseId;
      this.keyAlgorithm = keyAlgorithm;
      this.curve = curve;
      this.signatureAlgorithm = signatureAlgorithm;
      this.coordinateLength = coordinateLength;
    }

    public static Alg ofCoseId(long id) {
      return Arrays.stream(values())
          .filter(a -> a.coseId == id)
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unsupported COSE alg " + id));
    }
  }

  private final Alg alg;
  private final KeyPair keyPair;

  private SoftKey(Alg alg, KeyPair keyPair) {
    this.alg = alg;
    this.keyPair = keyPair;
  }

  public static SoftKey generate(Alg alg) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(alg.keyAlgorithm);
      if (alg.curve != null) {
        generator.initialize(new ECGenParameterSpec(alg.curve));
      } else if (alg == Alg.RS256) {
        generator.initialize(2048);
      }
      return new SoftKey(alg, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public Alg alg() {
    return alg;
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  /** The signature over {@code data} (DER for ECDSA, as WebAuthn uses). */
  public byte[] sign(byte[] data) {
    try {
      Signature signature = Signature.getInstance(alg.signatureAlgorithm);
      signature.initSign(keyPair.getPrivate());
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as CBOR COSE_Key bytes (RFC 9053), declaring {@code declaredAlg}. */
  public byte[] coseKey(long declaredAlg) {
    Map<Object, Object> key = new LinkedHashMap<>();
    switch (alg) {
      case ES256, ES384 -> {
        ECPublicKey ec = (ECPublicKey) keyPair.getPublic();
        key.put(1, 2);
        key.put(3, declaredAlg);
        key.put(-1, alg == Alg.ES256 ? 1 : 2);
        key.put(-2, unsigned(ec.getW().getAffineX(), alg.coordinateLength));
        key.put(-3, unsigned(ec.getW().getAffineY(), alg.coordinateLength));
      }
      case RS256 -> {
        RSAPublicKey rsa = (RSAPublicKey) keyPair.getPublic();
        key.put(1, 3);
        key.put(3, declaredAlg);
        key.put(-1, unsigned(rsa.getModulus(), 0));
        key.put(-2, unsigned(rsa.getPublicExponent(), 0));
      }
      case EDDSA -> {
        byte[] spki = keyPair.getPublic().getEncoded();
        key.put(1, 1);
        key.put(3, declaredAlg);
        key.put(-1, 6);
        key.put(-2, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
      }
      default -> throw new IllegalStateException();
    }
    return Cbor.encode(key);
  }

  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0 && bytes.length > 1) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length == 0 || bytes.length == length) {
      return bytes;
    }
    byte[] padded = new byte[length];
    System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
    return padded;
  }
}
