package dev.kcpasskeys.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.metadata.data.MetadataBLOBFactory;
import dev.kcpasskeys.ceremony.AttestationPolicy;
import dev.kcpasskeys.testing.AttestationPki;
import dev.kcpasskeys.testing.MetadataBlobs;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an app's requested level means for the passkey page (levels as enabling maps them). */
class AssuranceRequestTest {

  private static AssuranceRequest requesting(int level) {
    return new AssuranceRequest(level, OptionalInt.of(2), OptionalInt.of(3));
  }

  @Test
  void withoutARequestAPasswordDoesAndAnyPasskeyMeetsIt() {
    AssuranceRequest none = requesting(-1);
    assertFalse(none.passkeyRequired());
    assertTrue(none.metBy(false));
    assertEquals(OptionalInt.of(3), none.levelOf(true), "device-bound: phrh");
    assertEquals(OptionalInt.of(2), none.levelOf(false), "synced: phr");
  }

  @Test
  void phrNeedsAPasskeyOfAnyKind() {
    AssuranceRequest phr = requesting(2);
    assertTrue(phr.passkeyRequired());
    assertTrue(phr.metBy(false));
    assertTrue(phr.metBy(true));
  }

  @Test
  void phrhNeedsADeviceBoundPasskey() {
    AssuranceRequest phrh = requesting(3);
    assertTrue(phrh.passkeyRequired());
    assertFalse(phrh.metBy(false), "a synced passkey does not meet phrh");
    assertTrue(phrh.metBy(true));
  }

  @Test
  void anAdminsOwnLevelIsLeftToTheirFlow() {
    AssuranceRequest gold = requesting(5);
    assertFalse(gold.passkeyRequired());
    assertTrue(gold.metBy(false));
  }

  @Test
  void anAppThatMapsNeitherValueIsLeftAlone() {
    AssuranceRequest unmapped = new AssuranceRequest(2, OptionalInt.empty(), OptionalInt.empty());
    assertFalse(unmapped.passkeyRequired());
    assertTrue(unmapped.metBy(false));
    assertTrue(unmapped.levelOf(true).isEmpty());
  }

  @Test
  void whereAttestationIsOnOnlyADeviceBoundPasskeyOfAModelTheMetadataStillVouchesForCounts() {
    UUID certified = UUID.randomUUID();
    UUID revoked = UUID.randomUUID();
    AttestationPki.Issued vendor = AttestationPki.root("Vendor Root");
    String blob =
        MetadataBlobs.signed(
            AttestationPki.blobSigner(AttestationPki.root("Metadata Root")),
            LocalDate.now().plusDays(30),
            List.of(
                new MetadataBlobs.Model(certified, vendor.certificate(), "FIDO_CERTIFIED_L1"),
                new MetadataBlobs.Model(revoked, vendor.certificate(), "REVOKED")));
    AttestationPolicy on =
        AttestationPolicy.verifiedBy(
            "direct", () -> new MetadataBLOBFactory(new ObjectConverter()).parse(blob));
    Optional<UUID> model = Optional.of(certified);
    assertTrue(AssuranceRequest.hardwareProtected(true, false, model, AttestationPolicy.NONE));
    assertFalse(AssuranceRequest.hardwareProtected(true, false, model, on), "unproven model");
    assertTrue(AssuranceRequest.hardwareProtected(true, true, model, on));
    assertFalse(
        AssuranceRequest.hardwareProtected(false, true, model, on), "a synced passkey never");
    assertFalse(
        AssuranceRequest.hardwareProtected(true, true, Optional.of(revoked), on),
        "a model revoked since its passkey registered");
    assertFalse(
        AssuranceRequest.hardwareProtected(true, true, Optional.of(UUID.randomUUID()), on),
        "a model the metadata no longer lists");
    AttestationPolicy offline =
        AttestationPolicy.verifiedBy(
            "direct",
            () -> {
              throw new IllegalStateException("offline");
            });
    assertFalse(
        AssuranceRequest.hardwareProtected(true, true, model, offline),
        "metadata that cannot be loaded vouches for nothing");
  }
}
