package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.CeremonyFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.metadata.data.MetadataBLOBFactory;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.testing.AttestationPki;
import dev.kcpasskeys.testing.MetadataBlobs;
import dev.kcpasskeys.testing.MetadataBlobs.Model;
import dev.kcpasskeys.testing.Tweaks;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Attestation where the realm asks for it (WebAuthn L3 §7.1 steps 21-24), against a FIDO metadata
 * BLOB and attestation CAs the test makes.
 */
class AttestationTrustTest {

  private static final UUID CERTIFIED = UUID.fromString("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73");
  private static final UUID REVOKED = UUID.fromString("2fc0579f-8113-47ea-b116-bb5a8db9202a");
  private static final UUID NOT_CERTIFIED = UUID.fromString("9c835346-796b-4c27-8898-d6032f515cc5");
  private static final UUID UNLISTED = UUID.fromString("ee882879-721c-4913-9775-3dfcce97072a");

  private static final AttestationPki.Issued VENDOR_ROOT = AttestationPki.root("Vendor Root");
  private static final AttestationPki.Issued OTHER_ROOT = AttestationPki.root("Someone Else");
  private static final AttestationPki.Issued METADATA_ROOT = AttestationPki.root("Metadata Root");
  private static final String BLOB =
      MetadataBlobs.signed(
          AttestationPki.blobSigner(METADATA_ROOT),
          LocalDate.now().plusDays(30),
          List.of(
              new Model(CERTIFIED, VENDOR_ROOT.certificate(), "FIDO_CERTIFIED_L1"),
              new Model(REVOKED, VENDOR_ROOT.certificate(), "REVOKED"),
              new Model(NOT_CERTIFIED, VENDOR_ROOT.certificate(), "NOT_FIDO_CERTIFIED")));

  private final CeremonyFixture f = new CeremonyFixture();

  private void attestationDirect() {
    f.rp =
        f.rp.withAttestation(
            AttestationPolicy.verifiedBy(
                "direct", () -> new MetadataBLOBFactory(new ObjectConverter()).parse(BLOB)));
  }

  private static Tweaks attested(UUID model, AttestationPki.Issued root) {
    return Tweaks.none().aaguid(model).attestedBy(AttestationPki.attestation(root, model));
  }

  @Test
  void creationOptionsAskForTheRealmsConveyance() throws Exception {
    assertTrue(f.creationOptionsJson(f.alice).contains("\"attestation\":\"none\""));
    attestationDirect();
    assertTrue(f.creationOptionsJson(f.alice).contains("\"attestation\":\"direct\""));
    f.rp = f.rp.withAttestation(AttestationPolicy.verifiedBy("enterprise", () -> null));
    assertTrue(f.creationOptionsJson(f.alice).contains("\"attestation\":\"enterprise\""));
  }

  @Test
  void step23_aChainUpToTheRootTheMetadataListsForTheModelVerifiesIt() throws Exception {
    attestationDirect();
    VerifiedRegistration result =
        f.finishRegistration(f.registrationResponse(attested(CERTIFIED, VENDOR_ROOT)));
    assertTrue(result.modelVerified());
    assertEquals("packed", result.attestationFormat());
  }

  @Test
  void step23_aModelThatIsNotFidoCertifiedStillVerifies() throws Exception {
    attestationDirect();
    assertTrue(
        f.finishRegistration(f.registrationResponse(attested(NOT_CERTIFIED, VENDOR_ROOT)))
            .modelVerified());
  }

  @Test
  void step23_selfAttestationNoneAndUnlistedModelsRegisterUnverified() throws Exception {
    attestationDirect();
    assertFalse(
        f.finishRegistration(f.registrationResponse(Tweaks.none().aaguid(CERTIFIED)))
            .modelVerified(),
        "none");
    f.challenge = PasskeyCeremony.newChallenge();
    assertFalse(
        f.finishRegistration(f.registrationResponse(Tweaks.none().aaguid(CERTIFIED).fmt("packed")))
            .modelVerified(),
        "self attestation");
    f.challenge = PasskeyCeremony.newChallenge();
    assertFalse(
        f.finishRegistration(f.registrationResponse(attested(UNLISTED, OTHER_ROOT)))
            .modelVerified(),
        "a model the metadata does not list");
  }

  @Test
  void step23_withoutAttestationRequestedNothingIsVerified() throws Exception {
    assertFalse(
        f.finishRegistration(f.registrationResponse(attested(CERTIFIED, VENDOR_ROOT)))
            .modelVerified());
  }

  @Test
  void step22_rejectsABasicAttestationWithABadSignature() {
    attestationDirect();
    rejected(
        Reason.ATTESTATION,
        () ->
            f.finishRegistration(
                f.registrationResponse(attested(CERTIFIED, VENDOR_ROOT).corruptSignature())));
  }

  @Test
  void step22_rejectsACertificateIssuedForAnotherModel() {
    attestationDirect();
    Tweaks lying =
        Tweaks.none()
            .aaguid(CERTIFIED)
            .attestedBy(AttestationPki.attestation(VENDOR_ROOT, NOT_CERTIFIED));
    rejected(Reason.ATTESTATION, () -> f.finishRegistration(f.registrationResponse(lying)));
  }

  @Test
  void step24_rejectsAChainToARootTheMetadataDoesNotListForTheModel() {
    attestationDirect();
    rejected(
        Reason.ATTESTATION_UNTRUSTED,
        () -> f.finishRegistration(f.registrationResponse(attested(CERTIFIED, OTHER_ROOT))));
  }

  @Test
  void step24_rejectsARevokedModelWhateverItsAttestation() {
    attestationDirect();
    rejected(
        Reason.MODEL_REFUSED,
        () -> f.finishRegistration(f.registrationResponse(attested(REVOKED, VENDOR_ROOT))));
    rejected(
        Reason.MODEL_REFUSED,
        () -> f.finishRegistration(f.registrationResponse(Tweaks.none().aaguid(REVOKED))));
  }

  /** Step 22's status check again at sign-in: the metadata as it reads now decides. */
  @Test
  void step22_aModelRevokedSinceRegistrationIsNoLongerVouchedFor() {
    attestationDirect();
    AttestationPolicy policy = f.rp.attestation();
    assertTrue(policy.stillVouchesFor(Optional.of(CERTIFIED)));
    assertTrue(policy.stillVouchesFor(Optional.of(NOT_CERTIFIED)), "not certified is no notice");
    assertFalse(policy.stillVouchesFor(Optional.of(REVOKED)));
    assertFalse(policy.stillVouchesFor(Optional.of(UNLISTED)));
    assertFalse(policy.stillVouchesFor(Optional.empty()));
    assertFalse(AttestationPolicy.NONE.stillVouchesFor(Optional.of(CERTIFIED)));
  }

  @Test
  void step24_theAllowListTrustsOnlyAnAaguidAnAttestationProved() throws Exception {
    attestationDirect();
    f.rp = f.rp.withAllowedAaguids(Set.of(CERTIFIED));
    rejected(
        Reason.AAGUID_NOT_ALLOWED,
        () -> f.finishRegistration(f.registrationResponse(Tweaks.none().aaguid(CERTIFIED))));
    assertTrue(
        f.finishRegistration(f.registrationResponse(attested(CERTIFIED, VENDOR_ROOT)))
            .modelVerified());
  }

  @Test
  void step21_acceptsTheAttestationFormatsOfRealAuthenticatorsOnlyWhenAttestationIsRequested() {
    // tpm is a format Windows Hello uses: refused without attestation (the browser strips it then),
    // verified by webauthn4j with attestation (here: an empty statement fails its checks).
    rejected(
        Reason.ATTESTATION,
        () -> f.finishRegistration(f.registrationResponse(Tweaks.none().fmt("tpm"))));
    attestationDirect();
    rejected(
        Reason.MALFORMED,
        () -> f.finishRegistration(f.registrationResponse(Tweaks.none().fmt("tpm"))));
  }

  @Test
  void metadataThatCannotBeLoadedRefusesAsUnavailableAndDecidesNothing() {
    f.rp =
        f.rp.withAttestation(
            AttestationPolicy.verifiedBy(
                "direct",
                () -> {
                  throw new IllegalStateException("offline");
                }));
    rejected(
        Reason.METADATA_UNAVAILABLE,
        () -> f.finishRegistration(f.registrationResponse(attested(CERTIFIED, VENDOR_ROOT))));
  }
}
