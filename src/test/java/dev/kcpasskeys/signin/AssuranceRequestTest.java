package dev.kcpasskeys.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kcpasskeys.ceremony.AttestationPolicy;
import java.util.OptionalInt;
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
  void whereAttestationIsOnOnlyADeviceBoundPasskeyOfAVerifiedModelIsHardwareProtected() {
    AttestationPolicy on = AttestationPolicy.verifiedBy("direct", () -> null);
    assertTrue(AssuranceRequest.hardwareProtected(true, false, AttestationPolicy.NONE));
    assertFalse(AssuranceRequest.hardwareProtected(true, false, on), "unproven model");
    assertTrue(AssuranceRequest.hardwareProtected(true, true, on));
    assertFalse(AssuranceRequest.hardwareProtected(false, true, on), "a synced passkey never");
  }
}
