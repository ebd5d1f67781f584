package dev.kcpasskeys.ceremony;

import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import java.util.Optional;

/**
 * The authentication ceremony (WebAuthn L3 §7.2). webauthn4j parses the authenticator data and the
 * stored COSE key; every check is ours, each in the class named after its steps.
 */
final class AuthenticationCeremony {

  private static final int FLAGS_OFFSET = 32;
  private static final int MIN_AUTH_DATA_LENGTH = 37;

  private final ObjectConverter converter;
  private final AuthenticatorDataConverter authenticatorDataConverter;
  private final SignatureCheck signatureCheck;

  AuthenticationCeremony(ObjectConverter converter, SignatureCheck signatureCheck) {
    this.converter = converter;
    this.authenticatorDataConverter = new AuthenticatorDataConverter(converter);
    this.signatureCheck = signatureCheck;
  }

  VerifiedAssertion finish(
      RelyingPartySettings rp,
      byte[] expectedChallenge,
      Optional<byte[]> identifiedUserHandle,
      String json,
      PasskeyLookup lookup)
      throws PasskeyVerificationException {
    // steps 3 and 5 (the response and its parts), 6 (user and credential record), 9 to 14 (client
    // data)
    AssertionResponse response = ResponseParser.assertion(json);
    StoredPasskey stored;
    try {
      stored = CredentialOwnership.identify(response, identifiedUserHandle, lookup);
    } catch (PasskeyVerificationException unknown) {
      // Step 6 failed before any signature work: spend it anyway, so that the answer's time does
      // not tell
      // a registered credential ID from an unknown one (#20).
      signatureCheck.spendAsOnAVerification(
          response.authenticatorData(), response.clientDataJson(), response.signature());
      throw unknown;
    }
    ClientDataChecks.verify(
        response.clientDataJson(), ClientDataChecks.Ceremony.AUTHENTICATION, rp, expectedChallenge);
    rejectAttestedCredentialData(response.authenticatorData());
    AuthenticatorData<AuthenticationExtensionAuthenticatorOutput> authData =
        authenticatorDataConverter.convert(response.authenticatorData());
    // steps 15 to 19, then 20 and 21 (the signature), then 22 (the counter)
    AssertionDataChecks.verifyBeforeSignature(authData, rp, stored);
    signatureCheck.verify(
        credentialPublicKey(stored),
        response.authenticatorData(),
        response.clientDataJson(),
        response.signature());
    AssertionDataChecks.verifySignCount(authData, stored);
    return new VerifiedAssertion(
        stored,
        authData.getSignCount(),
        authData.isFlagBE(),
        authData.isFlagBS(),
        authData.isFlagUV());
  }

  private static void rejectAttestedCredentialData(byte[] authenticatorData)
      throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 7: authData of an assertion is 37 bytes + extensions; the AT flag must
    // not be set
    if (authenticatorData.length < MIN_AUTH_DATA_LENGTH
        || (authenticatorData[FLAGS_OFFSET] & AuthenticatorData.BIT_AT) != 0) {
      throw Json.malformed(
          "assertion authenticator data is malformed or carries attested credential data", null);
    }
  }

  private COSEKey credentialPublicKey(StoredPasskey stored) {
    return converter.getCborConverter().readValue(stored.cosePublicKey(), COSEKey.class);
  }
}
