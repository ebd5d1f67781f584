package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.AAGUID_NOT_ALLOWED;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.CREDENTIAL_ID_TAKEN;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** The registration ceremony (WebAuthn L3 §7.1): our policy around webauthn4j's verification. */
final class RegistrationCeremony {

  private static final UUID ZERO_AAGUID = new UUID(0, 0);

  private final WebAuthnManager manager;
  private final ObjectConverter converter;

  RegistrationCeremony(WebAuthnManager manager, ObjectConverter converter) {
    this.manager = manager;
    this.converter = converter;
  }

  VerifiedRegistration finish(
      RelyingPartySettings rp,
      byte[] expectedChallenge,
      byte[] expectedUserHandle,
      String json,
      PasskeyLookup lookup,
      RegistrationMediation mediation)
      throws PasskeyVerificationException {
    RegistrationResponse response = ResponseParser.registration(json);
    ClientDataChecks.verify(
        response.clientDataJson(), ClientDataChecks.Ceremony.REGISTRATION, rp, expectedChallenge);
    String fmt = AttestationFormats.requireAccepted(response.attestationObject(), rp.attestation());
    RegistrationData data = verify(rp, expectedChallenge, response, mediation);
    AuthenticatorData<?> authData = data.getAttestationObject().getAuthenticatorData();
    AttestedCredentialData attested = authData.getAttestedCredentialData();
    if (!Arrays.equals(attested.getCredentialId(), response.rawId())) {
      throw Json.malformed("rawId differs from the credential ID in authenticator data", null);
    }
    Optional<UUID> aaguid = aaguid(attested);
    boolean modelVerified =
        AttestationTrust.modelVerified(
            rp.attestation(), data.getAttestationObject().getAttestationStatement(), aaguid);
    verifyAaguidAllowed(rp, aaguid, modelVerified);
    // WebAuthn L3 §7.1 step 26: the credential ID must not be registered yet, for any user of the
    // realm
    if (lookup.credentialIdExists(response.rawId())) {
      throw new PasskeyVerificationException(
          CREDENTIAL_ID_TAKEN, "credential ID already registered");
    }
    StoredPasskey passkey =
        new StoredPasskey(
            response.rawId(),
            expectedUserHandle,
            converter.getCborConverter().writeValueAsBytes(attested.getCOSEKey()),
            authData.getSignCount(),
            response.transports(),
            aaguid,
            Optional.of(authData.isFlagBE()),
            authData.isFlagBS(),
            authData.isFlagUV());
    return new VerifiedRegistration(passkey, fmt, response.credPropsRk(), modelVerified);
  }

  /**
   * webauthn4j performs steps 7-9 again and steps 14 (rpIdHash), 15 (UP), 16 (UV), 17 (BE/BS), 20
   * (alg, with our pubKeyCredParams), 22 (attestation signature) and 25 (credential ID length).
   */
  private RegistrationData verify(
      RelyingPartySettings rp,
      byte[] challenge,
      RegistrationResponse response,
      RegistrationMediation mediation)
      throws PasskeyVerificationException {
    boolean conditional = mediation == RegistrationMediation.CONDITIONAL;
    // WebAuthn L3 §7.1 step 15: "If options.mediation is not set to conditional, verify that the UP
    // bit of
    // the flags in authData is set." Only a conditional request may come back without user
    // presence.
    boolean userPresenceRequired = !conditional;
    // WebAuthn L3 §7.1 step 16: "If the Relying Party requires user verification for this
    // registration,
    // verify that the UV bit ... is set." For a conditional request we do not: the client must not
    // collect
    // UV then (§5.1.3), so requiring it would refuse every automatic upgrade. What the passkey did
    // not prove
    // stays on record as uvInitialized=false, and sign-ins still require UV as the realm says (§7.2
    // step 17).
    boolean userVerificationRequired = rp.userVerificationRequired() && !conditional;
    try {
      RegistrationRequest request =
          new RegistrationRequest(
              response.attestationObject(), response.clientDataJson(), null, response.transports());
      RegistrationParameters parameters =
          new RegistrationParameters(
              Webauthn4jSupport.serverProperty(rp, challenge),
              Webauthn4jSupport.pubKeyCredParams(rp),
              userVerificationRequired,
              userPresenceRequired);
      return manager.verify(request, parameters);
    } catch (RuntimeException e) {
      throw Webauthn4jFailures.map(e);
    }
  }

  private static Optional<UUID> aaguid(AttestedCredentialData attested) {
    UUID value = attested.getAaguid().getValue();
    return ZERO_AAGUID.equals(value) ? Optional.empty() : Optional.of(value);
  }

  private static void verifyAaguidAllowed(
      RelyingPartySettings rp, Optional<UUID> aaguid, boolean modelVerified)
      throws PasskeyVerificationException {
    if (rp.allowedAaguids().isEmpty()) {
      return;
    }
    // WebAuthn L3 §7.1 step 24: RP policy on the authenticator model: AAGUID must be allow-listed
    // (when configured)
    if (!aaguid.map(rp.allowedAaguids()::contains).orElse(false)) {
      throw new PasskeyVerificationException(
          AAGUID_NOT_ALLOWED,
          "authenticator model not allowed: " + aaguid.map(UUID::toString).orElse("unknown"));
    }
    // Where attestation is requested, an AAGUID counts only when an attestation proved it: any
    // authenticator can write any AAGUID into authData.
    if (rp.attestation().requested() && !modelVerified) {
      throw new PasskeyVerificationException(
          AAGUID_NOT_ALLOWED,
          "authenticator model " + aaguid.get() + " is allowed, but no attestation proved it");
    }
  }
}
