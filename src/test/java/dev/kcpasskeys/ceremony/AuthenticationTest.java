package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.CeremonyFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.SoftKey;
import dev.kcpasskeys.testing.Tweaks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AuthenticationTest {

  final CeremonyFixture f = new CeremonyFixture(ceremony());
  StoredPasskey alicePasskey;

  /**
   * The ceremony under test: the JCA's default providers here, Keycloak's BouncyCastle in a
   * subclass.
   */
  PasskeyCeremony ceremony() {
    return CeremonyFixture.CEREMONY;
  }

  @BeforeEach
  void registerAlice() throws Exception {
    alicePasskey = f.registered(f.alice, Tweaks.none());
  }

  @Nested
  class AcceptsTheOwner {

    @Test
    void withADiscoverableCredential() throws Exception {
      VerifiedAssertion result = f.finishDiscoverable(f.assertionResponse(Tweaks.none()));
      assertEquals(alicePasskey, result.passkey());
      assertEquals(1, result.newSignCount());
      assertTrue(result.backupState());
      assertTrue(result.userVerified());
    }

    @Test
    void whenIdentifiedBeforehandForStepUp() throws Exception {
      String json = f.authenticator.authenticate(f.requestOptionsJson(List.of(alicePasskey)));
      assertEquals(alicePasskey, f.finishIdentified(f.alice, json).passkey());
    }

    @Test
    void whenIdentifiedAndTheAuthenticatorOmitsTheUserHandle() throws Exception {
      String json =
          f.authenticator.authenticate(
              f.requestOptionsJson(List.of(alicePasskey)), Tweaks.none().omitUserHandle());
      assertEquals(alicePasskey, f.finishIdentified(f.alice, json).passkey());
    }

    @Test
    void withASecondPasskeyWithoutBreakingTheFirst() throws Exception {
      SoftAuthenticator phone = new SoftAuthenticator(CeremonyFixture.ORIGIN);
      StoredPasskey second = f.registered(f.alice, Tweaks.none(), phone);
      assertEquals(2, f.store.findByUserHandle(f.alice.userHandle()).size());
      assertEquals(
          second,
          f.finishDiscoverable(phone.authenticate(f.requestOptionsJson(List.of()))).passkey());
      assertEquals(
          alicePasskey, f.finishDiscoverable(f.assertionResponse(Tweaks.none())).passkey());
    }

    @Test
    void withCountersThatStayZero() throws Exception {
      SoftAuthenticator synced = new SoftAuthenticator(CeremonyFixture.ORIGIN).counterStep(0);
      f.registered(f.alice, Tweaks.none(), synced);
      for (int i = 0; i < 3; i++) {
        VerifiedAssertion result =
            f.finishDiscoverable(synced.authenticate(f.requestOptionsJson(List.of())));
        assertEquals(0, result.newSignCount());
        f.store.save(result.updatedPasskey());
      }
    }

    @Test
    void withIncreasingCounters() throws Exception {
      for (int expected = 1; expected <= 3; expected++) {
        VerifiedAssertion result = f.finishDiscoverable(f.assertionResponse(Tweaks.none()));
        assertEquals(expected, result.newSignCount());
        f.store.save(result.updatedPasskey());
      }
      assertEquals(
          5, f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(5))).newSignCount());
    }

    @Test
    void reportsTheBackupStateAsPresented() throws Exception {
      VerifiedAssertion result =
          f.finishDiscoverable(f.assertionResponse(Tweaks.none().backedUp(false)));
      assertFalse(result.backupState());
      assertFalse(result.updatedPasskey().backupState());
    }

    @Test
    void step23_aLegacyRecordLearnsTheBackupEligibilityPresentedButNotUvInitialized()
        throws Exception {
      f.store.save(
          new StoredPasskey(
              alicePasskey.credentialId(),
              alicePasskey.userHandle(),
              alicePasskey.cosePublicKey(),
              0,
              Set.of(),
              Optional.empty(),
              Optional.empty(),
              false,
              false));
      StoredPasskey updated =
          f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().backupEligible(false).backedUp(false)))
              .updatedPasskey();
      assertEquals(Optional.of(false), updated.backupEligible(), "the BE flag presented, never BS");
      assertFalse(
          updated.uvInitialized(),
          "uvInitialized needs another factor to change; a sign-in gives none");
    }
  }

  @Nested
  class Step6_IdentifiesTheUserAndCredential {

    @Test
    void step6_requiresAUserHandleForDiscoverableCredentials() {
      rejected(
          Reason.USER_HANDLE_MISSING,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().omitUserHandle())));
    }

    @Test
    void step6_rejectsACredentialNotOwnedByTheUserHandle() throws Exception {
      UserIdentity bob = CeremonyFixture.user("bob");
      f.registered(bob, Tweaks.none(), new SoftAuthenticator(CeremonyFixture.ORIGIN));
      PasskeyVerificationException e =
          rejected(
              Reason.UNKNOWN_CREDENTIAL,
              () ->
                  f.finishDiscoverable(
                      f.assertionResponse(Tweaks.none().userHandle(bob.userHandle()))));
      assertTrue(e.isUniformToClient());
    }

    @Test
    void step6_rejectsAnUnknownCredential() {
      rejected(
          Reason.UNKNOWN_CREDENTIAL,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().credentialId(PasskeyCeremony.newChallenge()))));
    }

    @Test
    void step6_rejectsAnUnknownUserHandle() {
      rejected(
          Reason.UNKNOWN_CREDENTIAL,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().userHandle(new byte[] {1, 2, 3}))));
    }

    @Test
    void step6_rejectsAnotherUsersCredentialWhenIdentified() {
      String json = f.assertionResponse(Tweaks.none());
      rejected(
          Reason.UNKNOWN_CREDENTIAL, () -> f.finishIdentified(CeremonyFixture.user("bob"), json));
    }

    @Test
    void step6_checksTheStorageAnswerInsteadOfTrustingIt() throws Exception {
      UserIdentity bob = CeremonyFixture.user("bob");
      StoredPasskey bobs =
          f.registered(bob, Tweaks.none(), new SoftAuthenticator(CeremonyFixture.ORIGIN));
      String json = f.assertionResponse(Tweaks.none());
      // A storage layer that answers with another record than the one asked for (a bug, a stale
      // index)
      PasskeyLookup confused =
          new PasskeyLookup() {
            @Override
            public boolean credentialIdExists(byte[] credentialId) {
              return true;
            }

            @Override
            public Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId) {
              return Optional.of(bobs);
            }
          };
      rejected(
          Reason.UNKNOWN_CREDENTIAL,
          () ->
              CeremonyFixture.CEREMONY.finishAuthentication(
                  f.rp, f.challenge, Optional.empty(), json, confused));
    }

    @Test
    void step6_rejectsAUserHandleOtherThanTheIdentifiedUser() throws Exception {
      UserIdentity bob = CeremonyFixture.user("bob");
      f.registered(bob, Tweaks.none(), new SoftAuthenticator(CeremonyFixture.ORIGIN));
      String json = f.assertionResponse(Tweaks.none().userHandle(bob.userHandle()));
      rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishIdentified(f.alice, json));
    }
  }

  @Nested
  class RejectsTheResponseEnvelope {

    @Test
    void rejectsResponsesLargerThan64KiB() {
      String json =
          f.assertionResponse(Tweaks.none())
              .replaceFirst("\\{", "{\"padding\":\"" + "x".repeat(64 * 1024) + "\",");
      rejected(Reason.TOO_LARGE, () -> f.finishDiscoverable(json));
    }

    @Test
    void rejectsAnAttestationPresentedForAuthentication() {
      String registration =
          new SoftAuthenticator(CeremonyFixture.ORIGIN).register(f.creationOptionsJson(f.alice));
      rejected(Reason.MALFORMED, () -> f.finishDiscoverable(registration));
    }

    @Test
    void rejectsACredentialTypeOtherThanPublicKey() {
      rejected(
          Reason.WRONG_TYPE,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().credentialType("otp"))));
    }

    @Test
    void rejectsDuplicateJsonKeys() {
      String json =
          f.assertionResponse(Tweaks.none())
              .replace("\"response\":{", "\"response\":{\"signature\":\"AAAA\",");
      rejected(Reason.MALFORMED, () -> f.finishDiscoverable(json));
    }

    @Test
    void rejectsACredentialIdLongerThan1023Bytes() {
      rejected(
          Reason.CREDENTIAL_ID_TOO_LONG,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().credentialId(new byte[1024]))));
    }

    @Test
    void rejectsAMissingSignature() {
      String json = JsonSurgery.removeString(f.assertionResponse(Tweaks.none()), "signature");
      rejected(Reason.MALFORMED, () -> f.finishDiscoverable(json));
    }

    @Test
    void step7_rejectsTheAttestedCredentialDataFlagInAnAssertion() {
      rejected(
          Reason.MALFORMED,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().attestedDataFlagOnAssertion(true))));
    }

    /**
     * webauthn4j's parser tolerates ED without extension bytes; the flags are signed, so the
     * signature fails.
     */
    @Test
    void rejectsATamperedExtensionDataFlagAtTheSignatureNotWithAnError() throws Exception {
      ObjectNode json =
          (ObjectNode) new ObjectMapper().readTree(f.assertionResponse(Tweaks.none()));
      ObjectNode response = (ObjectNode) json.get("response");
      byte[] authData = Base64Url.decode(response.get("authenticatorData").asText());
      authData[32] |= (byte) 0x80;
      response.put("authenticatorData", Base64Url.encode(authData));
      rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishDiscoverable(json.toString()));
    }

    @Test
    void step7_rejectsTruncatedAuthenticatorData() {
      String json =
          JsonSurgery.replaceString(
              f.assertionResponse(Tweaks.none()), "authenticatorData", "AAAA");
      rejected(Reason.MALFORMED, () -> f.finishDiscoverable(json));
    }
  }

  @Nested
  class VerifiesClientData {

    @Test
    void step10_rejectsClientDataOfARegistration() {
      rejected(
          Reason.WRONG_TYPE,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().clientDataType("webauthn.create"))));
    }

    @Test
    void step11_rejectsAnotherChallenge() {
      String json = f.assertionResponse(Tweaks.none());
      f.challenge = PasskeyCeremony.newChallenge();
      rejected(Reason.CHALLENGE_MISMATCH, () -> f.finishDiscoverable(json));
    }

    @Test
    void step12_rejectsAnOriginNotInTheAllowList() {
      rejected(
          Reason.ORIGIN_MISMATCH,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().origin("https://example.org"))));
    }

    @Test
    void step13_rejectsCrossOriginTrue() {
      rejected(
          Reason.CROSS_ORIGIN,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().crossOrigin(true))));
    }

    @Test
    void step14_rejectsTopOriginEvenWithoutCrossOrigin() {
      rejected(
          Reason.TOP_ORIGIN,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(
                      Tweaks.none().crossOrigin(false).topOrigin(CeremonyFixture.ORIGIN))));
    }

    @Test
    void step14_rejectsATokenBindingReportedAsPresent() {
      rejected(
          Reason.MALFORMED,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(
                      Tweaks.none()
                          .extraClientData(
                              "tokenBinding", Map.of("status", "present", "id", "dG9rZW4")))));
    }

    @Test
    void step14_acceptsATokenBindingReportedAsSupportedOnly() throws Exception {
      f.finishDiscoverable(
          f.assertionResponse(
              Tweaks.none().extraClientData("tokenBinding", Map.of("status", "supported"))));
    }

    @Test
    void rejectsANonBooleanCrossOrigin() {
      String json =
          JsonSurgery.editClientData(
              f.assertionResponse(Tweaks.none()),
              c -> c.replace("\"crossOrigin\":false", "\"crossOrigin\":\"true\""));
      rejected(Reason.MALFORMED, () -> f.finishDiscoverable(json));
    }
  }

  @Nested
  class VerifiesAuthenticatorDataAndSignature {

    @Test
    void step15_rejectsAnotherRpIdHash() {
      rejected(
          Reason.RP_ID_MISMATCH,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().rpIdForHash("login.example.org"))));
    }

    @Test
    void step16_rejectsWithoutUserPresence() {
      rejected(
          Reason.USER_PRESENCE,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().userPresent(false))));
    }

    @Test
    void step17_rejectsWithoutUserVerification() {
      rejected(
          Reason.USER_VERIFICATION,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().userVerified(false))));
    }

    @Test
    void step18_rejectsBackupStateWithoutBackupEligibility() {
      rejected(
          Reason.BAD_BACKUP_FLAGS,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().backupEligible(false).backedUp(true))));
    }

    @Test
    void step19_rejectsABackupEligibleCredentialThatIsNoLongerEligible() {
      rejected(
          Reason.BACKUP_ELIGIBILITY_CHANGED,
          () ->
              f.finishDiscoverable(
                  f.assertionResponse(Tweaks.none().backupEligible(false).backedUp(false))));
    }

    @Test
    void step19_rejectsADeviceBoundCredentialThatBecomesEligible() throws Exception {
      SoftAuthenticator key = new SoftAuthenticator(CeremonyFixture.ORIGIN);
      f.registered(f.alice, Tweaks.none().backupEligible(false).backedUp(false), key);
      rejected(
          Reason.BACKUP_ELIGIBILITY_CHANGED,
          () -> f.finishDiscoverable(key.authenticate(f.requestOptionsJson(List.of()))));
    }

    /**
     * Issue #17: a record without BE (registered by Keycloak's built-in) learns the BE flag, not
     * BS, so a backup-eligible passkey that is not backed up (BE=1, BS=0) signs in again and again.
     */
    @Test
    void step19_aRecordWithoutBackupEligibilityLearnsTheBeFlagNotBs() throws Exception {
      for (boolean[] flags : new boolean[][] {{false, false}, {true, false}, {true, true}}) {
        SoftAuthenticator key = new SoftAuthenticator(CeremonyFixture.ORIGIN);
        StoredPasskey registered =
            f.registered(f.alice, Tweaks.none().backupEligible(flags[0]).backedUp(flags[1]), key);
        f.store.save(
            new StoredPasskey(
                registered.credentialId(),
                registered.userHandle(),
                registered.cosePublicKey(),
                0,
                Set.of(),
                Optional.empty(),
                Optional.empty(),
                false,
                true));
        for (int signIn = 1; signIn <= 3; signIn++) {
          VerifiedAssertion result =
              f.finishDiscoverable(
                  key.authenticate(
                      f.requestOptionsJson(List.of()),
                      Tweaks.none().backupEligible(flags[0]).backedUp(flags[1])));
          assertEquals(
              Optional.of(flags[0]),
              result.updatedPasskey().backupEligible(),
              "BE=" + flags[0] + " BS=" + flags[1]);
          assertEquals(flags[0], result.backupEligible());
          f.store.save(result.updatedPasskey());
        }
      }
    }

    @Test
    void step21_rejectsABadSignatureAsAnUnknownCredential() {
      PasskeyVerificationException e =
          rejected(
              Reason.UNKNOWN_CREDENTIAL,
              () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().corruptSignature())));
      assertTrue(e.isUniformToClient());
    }

    @Test
    void step21_rejectsASignatureByAnotherKey() throws Exception {
      SoftAuthenticator other = new SoftAuthenticator(CeremonyFixture.ORIGIN);
      f.registered(f.alice, Tweaks.none(), other);
      String json =
          other.authenticate(
              f.requestOptionsJson(List.of()),
              Tweaks.none().credentialId(alicePasskey.credentialId()));
      rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishDiscoverable(json));
    }

    @Test
    void step22_rejectsARepeatedCounter() throws Exception {
      f.store.save(
          f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(7))).updatedPasskey());
      rejected(
          Reason.COUNTER_REGRESSION,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(7))));
    }

    @Test
    void step22_rejectsADecreasingCounter() throws Exception {
      f.store.save(
          f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(7))).updatedPasskey());
      rejected(
          Reason.COUNTER_REGRESSION,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(6))));
    }

    @Test
    void step22_rejectsZeroAfterANonZeroCounter() throws Exception {
      f.store.save(
          f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(7))).updatedPasskey());
      rejected(
          Reason.COUNTER_REGRESSION,
          () -> f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(0))));
    }
  }

  @Nested
  class Step21_VerifiesEveryAlgorithmTheRpAllows {

    @BeforeEach
    void allowEs384Too() {
      f.rp = f.rp.withAllowedAlgorithms(List.of(-7L, -35L, -8L, -257L));
    }

    @ParameterizedTest
    @EnumSource(SoftKey.Alg.class)
    void step21_acceptsAValidSignature(SoftKey.Alg alg) throws Exception {
      SoftAuthenticator device = new SoftAuthenticator(CeremonyFixture.ORIGIN);
      StoredPasskey passkey = f.registered(f.alice, Tweaks.none().alg(alg), device);
      VerifiedAssertion result =
          f.finishDiscoverable(device.authenticate(f.requestOptionsJson(List.of())));
      assertEquals(passkey, result.passkey());
    }

    @ParameterizedTest
    @EnumSource(SoftKey.Alg.class)
    void step21_rejectsACorruptSignature(SoftKey.Alg alg) throws Exception {
      SoftAuthenticator device = new SoftAuthenticator(CeremonyFixture.ORIGIN);
      f.registered(f.alice, Tweaks.none().alg(alg), device);
      rejected(
          Reason.UNKNOWN_CREDENTIAL,
          () ->
              f.finishDiscoverable(
                  device.authenticate(
                      f.requestOptionsJson(List.of()), Tweaks.none().corruptSignature())));
    }

    @ParameterizedTest
    @EnumSource(SoftKey.Alg.class)
    void step21_rejectsASignatureOverOtherClientData(SoftKey.Alg alg) throws Exception {
      SoftAuthenticator device = new SoftAuthenticator(CeremonyFixture.ORIGIN);
      f.registered(f.alice, Tweaks.none().alg(alg), device);
      String json = device.authenticate(f.requestOptionsJson(List.of()));
      String edited =
          JsonSurgery.editClientData(json, c -> c.replace("\"type\"", "\"extra\":1,\"type\""));
      rejected(Reason.UNKNOWN_CREDENTIAL, () -> f.finishDiscoverable(edited));
    }
  }

  @Test
  void theStoredPasskeyIsReturnedUnchangedAndTheUpdateIsSeparate() throws Exception {
    VerifiedAssertion result =
        f.finishDiscoverable(f.assertionResponse(Tweaks.none().signCount(9)));
    assertEquals(0, result.passkey().signCount());
    assertEquals(9, result.updatedPasskey().signCount());
    assertArrayEquals(alicePasskey.credentialId(), result.updatedPasskey().credentialId());
  }
}
