package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.CeremonyFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.SoftKey;
import dev.kcpasskeys.testing.Tweaks;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RegistrationTest {

  final CeremonyFixture f = new CeremonyFixture();

  @Nested
  class AcceptsAnHonestPasskey {

    @Test
    void storesTheCredentialAsPresented() throws Exception {
      UUID aaguid = UUID.fromString("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4");
      VerifiedRegistration result =
          f.finishRegistration(f.registrationResponse(Tweaks.none().aaguid(aaguid)));
      StoredPasskey passkey = result.passkey();
      assertArrayEquals(f.authenticator.lastCredential().id(), passkey.credentialId());
      assertArrayEquals(f.alice.userHandle(), passkey.userHandle());
      assertEquals(0, passkey.signCount());
      assertEquals(Set.of("hybrid", "internal"), passkey.transports());
      assertEquals(Optional.of(aaguid), passkey.aaguid());
      assertEquals(Optional.of(true), passkey.backupEligible());
      assertTrue(passkey.backupState());
      assertTrue(passkey.uvInitialized());
      assertEquals("none", result.attestationFormat());
      assertEquals(Optional.of(true), result.credPropsRk());
    }

    /**
     * #20 item 9: credProps.rk is what the client says; it is reported and decides nothing. A
     * passkey the client calls non-discoverable (or says nothing about) is stored exactly as one it
     * calls discoverable.
     */
    @Test
    void credPropsRkIsReportedButDecidesNothing() throws Exception {
      StoredPasskey said = f.finishRegistration(f.registrationResponse(Tweaks.none())).passkey();
      CeremonyFixture other = new CeremonyFixture();
      VerifiedRegistration denied =
          other.finishRegistration(
              other.registrationResponse(Tweaks.none().credPropsRk(Optional.of(false))));
      CeremonyFixture third = new CeremonyFixture();
      VerifiedRegistration silent =
          third.finishRegistration(
              third.registrationResponse(Tweaks.none().credPropsRk(Optional.empty())));
      assertEquals(Optional.of(false), denied.credPropsRk());
      assertEquals(Optional.empty(), silent.credPropsRk());
      for (StoredPasskey stored : List.of(denied.passkey(), silent.passkey())) {
        assertEquals(said.signCount(), stored.signCount());
        assertEquals(said.transports(), stored.transports());
        assertEquals(said.backupEligible(), stored.backupEligible());
        assertEquals(said.uvInitialized(), stored.uvInitialized());
      }
    }

    @Test
    void storesACoseKeyThatLaterVerifiesAssertions() throws Exception {
      f.registered(f.alice, Tweaks.none());
      assertEquals(1, f.finishDiscoverable(f.assertionResponse(Tweaks.none())).newSignCount());
    }

    @Test
    void keepsTheSignCountTheAuthenticatorPresents() throws Exception {
      assertEquals(
          41,
          f.finishRegistration(f.registrationResponse(Tweaks.none().signCount(41)))
              .passkey()
              .signCount());
    }

    @Test
    void recordsAZeroAaguidAsUnknown() throws Exception {
      assertEquals(
          Optional.empty(),
          f.finishRegistration(f.registrationResponse(Tweaks.none())).passkey().aaguid());
    }

    @Test
    void recordsBackupFlagsOfADeviceBoundKey() throws Exception {
      StoredPasskey passkey =
          f.finishRegistration(
                  f.registrationResponse(Tweaks.none().backupEligible(false).backedUp(false)))
              .passkey();
      assertEquals(Optional.of(false), passkey.backupEligible());
      assertFalse(passkey.backupState());
    }

    @Test
    void reportsAMissingCredPropsAsEmpty() throws Exception {
      assertEquals(
          Optional.empty(),
          f.finishRegistration(f.registrationResponse(Tweaks.none().credPropsRk(Optional.empty())))
              .credPropsRk());
    }

    @Test
    void acceptsPackedSelfAttestation() throws Exception {
      assertEquals(
          "packed",
          f.finishRegistration(f.registrationResponse(Tweaks.none().fmt("packed")))
              .attestationFormat());
    }

    @Test
    void acceptsEdDsaAndRs256Keys() throws Exception {
      for (SoftKey.Alg alg : List.of(SoftKey.Alg.EDDSA, SoftKey.Alg.RS256)) {
        SoftAuthenticator device = new SoftAuthenticator(CeremonyFixture.ORIGIN);
        f.registered(f.alice, Tweaks.none().alg(alg), device);
        f.finishDiscoverable(device.authenticate(f.requestOptionsJson(List.of())));
      }
    }

    @Test
    void acceptsWithoutUserVerificationOnlyWhenTheRpDoesNotRequireIt() throws Exception {
      f.rp = f.rp.withUserVerificationRequired(false);
      assertFalse(
          f.finishRegistration(f.registrationResponse(Tweaks.none().userVerified(false)))
              .passkey()
              .uvInitialized());
    }

    @Test
    void acceptsExtraClientDataMembers() throws Exception {
      f.finishRegistration(
          f.registrationResponse(
              Tweaks.none()
                  .extraClientData(
                      "other_keys_can_be_added_here",
                      "do not compare clientDataJSON against a template")));
    }

    @Test
    void acceptsClientDataWithoutCrossOrigin() throws Exception {
      f.finishRegistration(f.registrationResponse(Tweaks.none().crossOrigin(null)));
    }
  }

  @Nested
  class RejectsTheResponseEnvelope {

    @Test
    void rejectsResponsesLargerThan64KiBBeforeParsing() {
      String huge = "{\"pad\":\"" + "A".repeat(64 * 1024) + "\"}";
      rejected(Reason.TOO_LARGE, () -> f.finishRegistration(huge));
    }

    @Test
    void rejectsGarbage() {
      rejected(Reason.MALFORMED, () -> f.finishRegistration("not json"));
      rejected(Reason.MALFORMED, () -> f.finishRegistration("[]"));
      rejected(Reason.MALFORMED, () -> f.finishRegistration("{}"));
    }

    @Test
    void rejectsDuplicateJsonKeys() {
      String json =
          f.registrationResponse(Tweaks.none()).replaceFirst("\\{", "{\"type\":\"public-key\",");
      rejected(Reason.MALFORMED, () -> f.finishRegistration(json));
    }

    @Test
    void rejectsDuplicateKeysInClientDataJson() {
      String json =
          JsonSurgery.editClientData(
              f.registrationResponse(Tweaks.none()),
              clientData ->
                  clientData.replaceFirst("\\{", "{\"origin\":\"https://evil.example\","));
      rejected(Reason.MALFORMED, () -> f.finishRegistration(json));
    }

    @Test
    void rejectsACredentialTypeOtherThanPublicKey() {
      rejected(
          Reason.WRONG_TYPE,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().credentialType("password"))));
    }

    @Test
    void rejectsAnAssertionPresentedForRegistration() throws Exception {
      f.registered(f.alice, Tweaks.none());
      String assertion = f.assertionResponse(Tweaks.none());
      rejected(Reason.MALFORMED, () -> f.finishRegistration(assertion));
    }

    @Test
    void section5_1_rejectsAnAuthenticatorAttachmentThatIsNotAWebAuthnValue() {
      String json = f.registrationResponse(Tweaks.none());
      assertTrue(json.contains("\"authenticatorAttachment\":\"platform\""), json);
      rejected(
          Reason.MALFORMED,
          () ->
              f.finishRegistration(
                  json.replace(
                      "\"authenticatorAttachment\":\"platform\"",
                      "\"authenticatorAttachment\":\"<b>platform</b>\"")));
      rejected(
          Reason.MALFORMED,
          () ->
              f.finishRegistration(
                  json.replace(
                      "\"authenticatorAttachment\":\"platform\"",
                      "\"authenticatorAttachment\":7")));
    }

    @Test
    void section5_8_4_storesOnlyTransportsTheSpecificationDefines() throws Exception {
      String json =
          f.registrationResponse(Tweaks.none())
              .replace("\"transports\":[", "\"transports\":[\"carrier-pigeon\",\"<script>\",");
      assertEquals(Set.of("hybrid", "internal"), f.finishRegistration(json).passkey().transports());
    }

    @Test
    void rejectsAnIdThatDiffersFromRawId() {
      String json = f.registrationResponse(Tweaks.none());
      String id = f.authenticator.lastCredential().idBase64Url();
      String tampered = json.replaceFirst("\"id\":\"" + id, "\"id\":\"AAAA" + id.substring(4));
      rejected(Reason.MALFORMED, () -> f.finishRegistration(tampered));
    }

    @Test
    void rejectsNonBase64UrlBinaryFields() {
      String json =
          f.registrationResponse(Tweaks.none())
              .replace("\"attestationObject\":\"", "\"attestationObject\":\"+/+/");
      rejected(Reason.MALFORMED, () -> f.finishRegistration(json));
    }

    @Test
    void rejectsACorruptAttestationObject() {
      String json =
          f.registrationResponse(Tweaks.none())
              .replaceFirst("\"attestationObject\":\"[^\"]{8}", "\"attestationObject\":\"v2Zmb3Jt");
      rejected(Reason.MALFORMED, () -> f.finishRegistration(json));
    }

    @Test
    void neverLetsARuntimeExceptionEscapeForTruncatedAuthenticatorData() {
      String json = f.registrationResponse(Tweaks.none());
      String truncated =
          json.replaceFirst(
              "\"attestationObject\":\"([^\"]*)\"",
              "\"attestationObject\":\"" + truncatedAttestationObject() + "\"");
      rejected(Reason.MALFORMED, () -> f.finishRegistration(truncated));
    }

    private String truncatedAttestationObject() {
      // {"fmt":"none","attStmt":{},"authData":h'00'}
      return SoftAuthenticator.encode(
          new byte[] {
            (byte) 0xa3,
            0x63,
            'f',
            'm',
            't',
            0x64,
            'n',
            'o',
            'n',
            'e',
            0x67,
            'a',
            't',
            't',
            'S',
            't',
            'm',
            't',
            (byte) 0xa0,
            0x68,
            'a',
            'u',
            't',
            'h',
            'D',
            'a',
            't',
            'a',
            0x41,
            0x00
          });
    }
  }

  @Nested
  class VerifiesClientData {

    @Test
    void step7_rejectsClientDataOfAnAssertion() {
      rejected(
          Reason.WRONG_TYPE,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().clientDataType("webauthn.get"))));
    }

    @Test
    void step7_rejectsAnUnknownClientDataType() {
      rejected(
          Reason.WRONG_TYPE,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().clientDataType("payment.get"))));
    }

    @Test
    void step8_rejectsAnotherChallenge() {
      String other = SoftAuthenticator.encode(PasskeyCeremony.newChallenge());
      rejected(
          Reason.CHALLENGE_MISMATCH,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().challenge(other))));
    }

    @Test
    void step8_rejectsAResponseToAnEarlierChallenge() {
      String json = f.registrationResponse(Tweaks.none());
      f.challenge = PasskeyCeremony.newChallenge();
      rejected(Reason.CHALLENGE_MISMATCH, () -> f.finishRegistration(json));
    }

    @Test
    void step9_rejectsAnOriginNotInTheAllowList() {
      rejected(
          Reason.ORIGIN_MISMATCH,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().origin("https://evil.example.org"))));
    }

    @Test
    void step9_comparesOriginsExactly() {
      for (String near :
          List.of(
              "https://login.example.org:443",
              "https://login.example.org/",
              "http://login.example.org",
              "https://LOGIN.example.org",
              "https://login.example.org.evil")) {
        rejected(
            Reason.ORIGIN_MISMATCH,
            () -> f.finishRegistration(f.registrationResponse(Tweaks.none().origin(near))));
      }
    }

    @Test
    void step10_rejectsCrossOriginTrue() {
      rejected(
          Reason.CROSS_ORIGIN,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().crossOrigin(true))));
    }

    @Test
    void step11_rejectsTopOriginEvenWithoutCrossOrigin() {
      rejected(
          Reason.TOP_ORIGIN,
          () ->
              f.finishRegistration(
                  f.registrationResponse(
                      Tweaks.none().crossOrigin(false).topOrigin(CeremonyFixture.ORIGIN))));
    }

    @Test
    void step11_rejectsTopOriginWithCrossOriginAbsent() {
      rejected(
          Reason.TOP_ORIGIN,
          () ->
              f.finishRegistration(
                  f.registrationResponse(
                      Tweaks.none().crossOrigin(null).topOrigin("https://top.example"))));
    }
  }

  @Nested
  class VerifiesAuthenticatorData {

    @Test
    void step14_rejectsAnotherRpIdHash() {
      rejected(
          Reason.RP_ID_MISMATCH,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().rpIdForHash("evil.example"))));
    }

    @Test
    void step15_rejectsWithoutUserPresence() {
      rejected(
          Reason.USER_PRESENCE,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().userPresent(false))));
    }

    @Test
    void step16_rejectsWithoutUserVerification() {
      rejected(
          Reason.USER_VERIFICATION,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().userVerified(false))));
    }

    @Test
    void step17_rejectsBackupStateWithoutBackupEligibility() {
      rejected(
          Reason.BAD_BACKUP_FLAGS,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().backupEligible(false).backedUp(true))));
    }
  }

  /**
   * Automatic passkey upgrades: {@code navigator.credentials.create({mediation: "conditional"})}.
   */
  @Nested
  class ConditionalMediation {

    private String withoutDialog() {
      return f.authenticator.registerWithoutDialog(f.conditionalCreationOptionsJson(f.alice));
    }

    @Test
    void step15_acceptsUserPresenceClearWhenTheMediationIsConditional() throws Exception {
      StoredPasskey passkey =
          f.finishRegistration(withoutDialog(), RegistrationMediation.CONDITIONAL).passkey();
      assertArrayEquals(f.authenticator.lastCredential().id(), passkey.credentialId());
    }

    @Test
    void step15_rejectsUserPresenceClearWhenTheMediationIsNotConditional() {
      rejected(
          Reason.USER_PRESENCE,
          () -> f.finishRegistration(withoutDialog(), RegistrationMediation.MODAL));
      rejected(
          Reason.USER_PRESENCE,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().userPresent(false)),
                  RegistrationMediation.MODAL));
    }

    @Test
    void step15_theDefaultMediationIsNotConditional() {
      rejected(Reason.USER_PRESENCE, () -> f.finishRegistration(withoutDialog()));
    }

    @Test
    void step16_doesNotRequireUserVerificationWhenTheMediationIsConditional() throws Exception {
      String json =
          f.authenticator.register(
              f.conditionalCreationOptionsJson(f.alice), Tweaks.none().userVerified(false));
      assertFalse(
          f.finishRegistration(json, RegistrationMediation.CONDITIONAL).passkey().uvInitialized());
    }

    @Test
    void step16_recordsUvInitializedWhenAConditionalCreateDidVerifyTheUser() throws Exception {
      String json =
          f.authenticator.register(
              f.conditionalCreationOptionsJson(f.alice), Tweaks.none().userPresent(false));
      assertTrue(
          f.finishRegistration(json, RegistrationMediation.CONDITIONAL).passkey().uvInitialized());
    }

    @Test
    void step16_stillRequiresUserVerificationWhenTheMediationIsNotConditional() {
      rejected(
          Reason.USER_VERIFICATION,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().userVerified(false)),
                  RegistrationMediation.MODAL));
    }

    @Test
    void step8_stillChecksTheChallenge() {
      String json = withoutDialog();
      f.challenge = PasskeyCeremony.newChallenge();
      rejected(
          Reason.CHALLENGE_MISMATCH,
          () -> f.finishRegistration(json, RegistrationMediation.CONDITIONAL));
    }

    @Test
    void step9_stillChecksTheOrigin() {
      String json =
          f.authenticator.register(
              f.conditionalCreationOptionsJson(f.alice),
              Tweaks.none()
                  .userPresent(false)
                  .userVerified(false)
                  .origin("https://evil.example.org"));
      rejected(
          Reason.ORIGIN_MISMATCH,
          () -> f.finishRegistration(json, RegistrationMediation.CONDITIONAL));
    }

    @Test
    void step14_stillChecksTheRpIdHash() {
      String json =
          f.authenticator.register(
              f.conditionalCreationOptionsJson(f.alice),
              Tweaks.none().userPresent(false).userVerified(false).rpIdForHash("evil.example"));
      rejected(
          Reason.RP_ID_MISMATCH,
          () -> f.finishRegistration(json, RegistrationMediation.CONDITIONAL));
    }

    @Test
    void step17_stillChecksTheBackupFlags() {
      String json =
          f.authenticator.register(
              f.conditionalCreationOptionsJson(f.alice),
              Tweaks.none()
                  .userPresent(false)
                  .userVerified(false)
                  .backupEligible(false)
                  .backedUp(true));
      rejected(
          Reason.BAD_BACKUP_FLAGS,
          () -> f.finishRegistration(json, RegistrationMediation.CONDITIONAL));
    }

    @Test
    void step26_stillRefusesACredentialIdAlreadyRegistered() throws Exception {
      String json = withoutDialog();
      f.store.save(f.finishRegistration(json, RegistrationMediation.CONDITIONAL).passkey());
      rejected(
          Reason.CREDENTIAL_ID_TAKEN,
          () -> f.finishRegistration(json, RegistrationMediation.CONDITIONAL));
    }

    @Test
    void aPasskeyMadeWithoutUserVerificationStillNeedsItToSignIn() throws Exception {
      f.store.save(
          f.finishRegistration(withoutDialog(), RegistrationMediation.CONDITIONAL).passkey());
      f.challenge = PasskeyCeremony.newChallenge();
      rejected(
          Reason.USER_VERIFICATION,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().userVerified(false))));
      assertTrue(f.finishDiscoverable(f.assertionResponse(Tweaks.none())).userVerified());
    }
  }

  @Nested
  class VerifiesTheKeyAndAttestation {

    @Test
    void step20_rejectsAnAlgorithmNotOffered() {
      rejected(
          Reason.ALGORITHM_NOT_ALLOWED,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().alg(SoftKey.Alg.ES384))));
    }

    @Test
    void step20_rejectsRs256WhenTheRealmAllowsOnlyEs256() {
      f.rp = f.rp.withAllowedAlgorithms(List.of(-7L));
      rejected(
          Reason.ALGORITHM_NOT_ALLOWED,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().alg(SoftKey.Alg.RS256))));
    }

    @Test
    void step21_rejectsAnUnsupportedAttestationFormat() {
      rejected(
          Reason.ATTESTATION,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().fmt("tpm"))));
      rejected(
          Reason.ATTESTATION,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none().fmt("made-up"))));
    }

    @Test
    void step22_rejectsAPackedSelfAttestationWithABadSignature() {
      rejected(
          Reason.ATTESTATION,
          () ->
              f.finishRegistration(
                  f.registrationResponse(Tweaks.none().fmt("packed").corruptSignature())));
    }

    @Test
    void step24_rejectsAnAaguidOutsideTheAllowList() {
      f.rp =
          f.rp.withAllowedAaguids(Set.of(UUID.fromString("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")));
      rejected(
          Reason.AAGUID_NOT_ALLOWED,
          () ->
              f.finishRegistration(
                  f.registrationResponse(
                      Tweaks.none()
                          .aaguid(UUID.fromString("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")))));
      rejected(
          Reason.AAGUID_NOT_ALLOWED,
          () -> f.finishRegistration(f.registrationResponse(Tweaks.none())));
    }

    @Test
    void step24_acceptsAnAllowListedAaguid() throws Exception {
      UUID allowed = UUID.fromString("fbfc3007-154e-4ecc-8c0b-6e020557d7bd");
      f.rp = f.rp.withAllowedAaguids(Set.of(allowed));
      assertEquals(
          Optional.of(allowed),
          f.finishRegistration(f.registrationResponse(Tweaks.none().aaguid(allowed)))
              .passkey()
              .aaguid());
    }
  }

  @Nested
  class VerifiesTheCredentialId {

    @Test
    void step25_acceptsExactly1023Bytes() throws Exception {
      assertEquals(
          1023,
          f.finishRegistration(f.registrationResponse(Tweaks.none().credentialIdLength(1023)))
              .passkey()
              .credentialId()
              .length);
    }

    @Test
    void step25_rejects1024Bytes() {
      rejected(
          Reason.CREDENTIAL_ID_TOO_LONG,
          () ->
              f.finishRegistration(f.registrationResponse(Tweaks.none().credentialIdLength(1024))));
    }

    @Test
    void step26_rejectsACredentialIdAlreadyRegistered() throws Exception {
      String json = f.registrationResponse(Tweaks.none());
      f.store.save(f.finishRegistration(json).passkey());
      rejected(Reason.CREDENTIAL_ID_TAKEN, () -> f.finishRegistration(json));
    }

    @Test
    void step26_asksTheLookupAboutAllUsers() {
      String json = f.registrationResponse(Tweaks.none());
      PasskeyLookup everythingTaken =
          new PasskeyLookup() {
            @Override
            public boolean credentialIdExists(byte[] credentialId) {
              return true;
            }

            @Override
            public Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId) {
              return Optional.empty();
            }
          };
      rejected(
          Reason.CREDENTIAL_ID_TAKEN,
          () ->
              CeremonyFixture.CEREMONY.finishRegistration(
                  f.rp, f.challenge, f.alice.userHandle(), json, everythingTaken));
    }

    @Test
    void rejectsARawIdThatIsNotTheAttestedCredentialId() {
      String json = f.registrationResponse(Tweaks.none());
      String id = f.authenticator.lastCredential().idBase64Url();
      String other = SoftAuthenticator.encode(PasskeyCeremony.newChallenge());
      rejected(Reason.MALFORMED, () -> f.finishRegistration(json.replace(id, other)));
    }
  }

  @Test
  void storageFailuresEscapeUnchanged() {
    String json = f.registrationResponse(Tweaks.none());
    PasskeyLookup broken =
        new PasskeyLookup() {
          @Override
          public boolean credentialIdExists(byte[] credentialId) {
            throw new IllegalStateException("database down");
          }

          @Override
          public Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId) {
            throw new IllegalStateException("database down");
          }
        };
    assertEquals(
        "database down",
        assertThrows(
                IllegalStateException.class,
                () ->
                    CeremonyFixture.CEREMONY.finishRegistration(
                        f.rp, f.challenge, f.alice.userHandle(), json, broken))
            .getMessage());
  }
}
