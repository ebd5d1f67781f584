package dev.kcpasskeys.ceremony;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import java.util.Optional;

/** The authentication ceremony (WebAuthn L3 §7.2): our policy around webauthn4j's verification. */
final class AuthenticationCeremony {

  private static final int FLAGS_OFFSET = 32;
  private static final int MIN_AUTH_DATA_LENGTH = 37;

  private final WebAuthnManager manager;
  private final ObjectConverter converter;

  AuthenticationCeremony(WebAuthnManager manager, ObjectConverter converter) {
    this.manager = manager;
    this.converter = converter;
  }

  VerifiedAssertion finish(RelyingPartySettings rp, byte[] expectedChallenge, Optional<byte[]> identifiedUserHandle,
               String json, PasskeyLookup lookup) throws PasskeyVerificationException {
    AssertionResponse response = ResponseParser.assertion(json);
    StoredPasskey stored = CredentialOwnership.identify(response, identifiedUserHandle, lookup);
    ClientDataChecks.verify(response.clientDataJson(), ClientDataChecks.Ceremony.AUTHENTICATION, rp,
        expectedChallenge);
    rejectAttestedCredentialData(response.authenticatorData());
    AuthenticatorData<?> authData = verify(rp, expectedChallenge, response, stored).getAuthenticatorData();
    return new VerifiedAssertion(stored, authData.getSignCount(), authData.isFlagBS(), authData.isFlagUV());
  }

  private static void rejectAttestedCredentialData(byte[] authenticatorData) throws PasskeyVerificationException {
    // WebAuthn L3 §7.2 step 7: authData of an assertion is 37 bytes + extensions; the AT flag must not be set
    if (authenticatorData.length < MIN_AUTH_DATA_LENGTH
        || (authenticatorData[FLAGS_OFFSET] & AuthenticatorData.BIT_AT) != 0) {
      throw Json.malformed("assertion authenticator data is malformed or carries attested credential data",
          null);
    }
  }

  /**
   * webauthn4j performs steps 10-12 again and steps 15 (rpIdHash), 16 (UP), 17 (UV), 18 (BE/BS),
   * 19 (BE unchanged, when the record knows BE), 21 (signature) and 22 (signature counter).
   */
  private AuthenticationData verify(RelyingPartySettings rp, byte[] challenge, AssertionResponse response,
                   StoredPasskey stored) throws PasskeyVerificationException {
    try {
      AuthenticationRequest request = new AuthenticationRequest(response.rawId(),
          response.userHandle().orElse(null), response.authenticatorData(), response.clientDataJson(),
          null, response.signature());
      AuthenticationParameters parameters = new AuthenticationParameters(
          Webauthn4jSupport.serverProperty(rp, challenge), credentialRecord(stored), null,
          rp.userVerificationRequired(), true);
      return manager.verify(request, parameters);
    } catch (RuntimeException e) {
      throw Webauthn4jFailures.map(e);
    }
  }

  private CredentialRecordImpl credentialRecord(StoredPasskey stored) {
    COSEKey key = converter.getCborConverter().readValue(stored.cosePublicKey(), COSEKey.class);
    AAGUID aaguid = stored.aaguid().map(AAGUID::new).orElse(AAGUID.ZERO);
    AttestedCredentialData attested = new AttestedCredentialData(aaguid, stored.credentialId(), key);
    return new CredentialRecordImpl(null, stored.uvInitialized(), stored.backupEligible().orElse(null),
        stored.backupState(), stored.signCount(), attested, null, null, null, null);
  }
}
