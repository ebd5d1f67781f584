package dev.kcpasskeys.ceremony;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.androidkey.AndroidKeyAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.apple.AppleAnonymousAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.tpm.TPMAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.u2f.FIDOU2FAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.NullCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.NullSelfAttestationTrustworthinessVerifier;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the webauthn4j objects the ceremonies share. */
final class Webauthn4jSupport {

  private Webauthn4jSupport() {}

  /**
   * A manager that verifies the attestation statements of {@link AttestationFormats} (webauthn4j's
   * non-strict manager would not check their signatures at all) without evaluating attestation
   * trust: {@link AttestationTrust} does that, against the realm's metadata, where attestation is
   * requested.
   */
  static WebAuthnManager newManager(ObjectConverter converter) {
    return new WebAuthnManager(
        List.of(
            new NoneAttestationStatementVerifier(),
            new PackedAttestationStatementVerifier(),
            new TPMAttestationStatementVerifier(),
            new AndroidKeyAttestationStatementVerifier(),
            new AppleAnonymousAttestationStatementVerifier(),
            new FIDOU2FAttestationStatementVerifier()),
        new NullCertPathTrustworthinessVerifier(),
        new NullSelfAttestationTrustworthinessVerifier(),
        converter);
  }

  static ServerProperty serverProperty(RelyingPartySettings rp, byte[] challenge) {
    return ServerProperty.builder()
        .origins(rp.origins().stream().map(Origin::create).collect(Collectors.toSet()))
        .rpId(rp.rpId())
        .challenge(new DefaultChallenge(challenge))
        .build();
  }

  /** Always a list: webauthn4j skips the algorithm check entirely when given null. */
  static List<PublicKeyCredentialParameters> pubKeyCredParams(RelyingPartySettings rp) {
    return rp.allowedAlgorithms().stream()
        .map(
            alg ->
                new PublicKeyCredentialParameters(
                    PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.create(alg)))
        .collect(Collectors.toUnmodifiableList());
  }
}
