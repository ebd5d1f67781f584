package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.UNKNOWN_CREDENTIAL;

import com.webauthn4j.data.SignatureAlgorithm;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.util.SignatureUtil;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * WebAuthn L3 §7.2 steps 20 and 21: the assertion signature over authData and the hash of the
 * client data.
 *
 * <p>ECDSA goes to a preferred JCA provider when one is given and has the algorithm. Why: JDK 17's
 * own provider (SunEC, which webauthn4j's {@code verify} always takes) needs about 0.9 ms for one
 * P-256 verification, the BouncyCastle that Keycloak ships about 0.2 ms (JMH, docs/benchmark.md),
 * and ES256 is what nearly every passkey uses. Other algorithms, and ECDSA without a preferred
 * provider, are verified exactly as webauthn4j does.
 */
final class SignatureCheck {

  private final Optional<Provider> preferredEcdsaProvider;

  SignatureCheck(Optional<Provider> preferredEcdsaProvider) {
    this.preferredEcdsaProvider =
        Objects.requireNonNull(preferredEcdsaProvider, "preferredEcdsaProvider");
  }

  void verify(
      COSEKey credentialPublicKey,
      byte[] authenticatorData,
      byte[] clientDataJson,
      byte[] signature)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 20: hash = SHA-256(cData)
    byte[] hash = AssertionDataChecks.sha256(clientDataJson);
    byte[] signed =
        ByteBuffer.allocate(authenticatorData.length + hash.length)
            .put(authenticatorData)
            .put(hash)
            .array();
    // WebAuthn L3 §7.2 step 21: sig is a valid signature over authData || hash with the credential
    // public key.
    // A failure of any kind is a bad signature, reported like an unknown credential (no enumeration
    // oracle).
    if (!isValid(credentialPublicKey, signed, signature)) {
      throw new PasskeyVerificationException(
          UNKNOWN_CREDENTIAL, "signature does not verify with the " + "credential public key");
    }
  }

  /**
   * The work of one ES256 verification, whose answer is thrown away: a response naming a credential
   * that is not the named user's costs what a known one costs (#20: no timing oracle for registered
   * IDs).
   */
  void spendAsOnAVerification(byte[] authenticatorData, byte[] clientDataJson, byte[] signature) {
    byte[] hash = AssertionDataChecks.sha256(clientDataJson);
    try {
      Signature verifier = newSignature(SignatureAlgorithm.ES256);
      verifier.initVerify(DecoyKey.PUBLIC);
      verifier.update(authenticatorData);
      verifier.update(hash);
      verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // a signature that is not DER costs less on a known credential too
    }
  }

  /** A P-256 key no authenticator has; made once per JVM, on first use. */
  private static final class DecoyKey {
    static final PublicKey PUBLIC = generate();

    private static PublicKey generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPublic();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no P-256 in this JVM", e);
      }
    }
  }

  private boolean isValid(COSEKey key, byte[] signed, byte[] signature) {
    try {
      Signature verifier = newSignature(key.getAlgorithm().toSignatureAlgorithm());
      verifier.initVerify(key.getPublicKey());
      verifier.update(signed);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // a missing or non-signature algorithm, a key the provider refuses, a signature that is not
      // DER, ...
      return false;
    }
  }

  private Signature newSignature(SignatureAlgorithm algorithm) {
    String jcaName = algorithm.getJcaName();
    if (preferredEcdsaProvider.isPresent() && jcaName.endsWith("withECDSA")) {
      try {
        return Signature.getInstance(jcaName, preferredEcdsaProvider.get());
      } catch (NoSuchAlgorithmException e) {
        // this provider lacks it (a FIPS provider, say): fall through to the JDK's choice
      }
    }
    return SignatureUtil.createSignature(algorithm);
  }
}
