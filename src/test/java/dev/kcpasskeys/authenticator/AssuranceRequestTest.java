package dev.kcpasskeys.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertTrue(none.metBy(true));
    assertEquals(OptionalInt.of(3), none.levelOf(false), "device-bound: phrh");
    assertEquals(OptionalInt.of(2), none.levelOf(true), "synced: phr");
  }

  @Test
  void phrNeedsAPasskeyOfAnyKind() {
    AssuranceRequest phr = requesting(2);
    assertTrue(phr.passkeyRequired());
    assertTrue(phr.metBy(true));
    assertTrue(phr.metBy(false));
  }

  @Test
  void phrhNeedsADeviceBoundPasskey() {
    AssuranceRequest phrh = requesting(3);
    assertTrue(phrh.passkeyRequired());
    assertFalse(phrh.metBy(true), "a synced passkey does not meet phrh");
    assertTrue(phrh.metBy(false));
  }

  @Test
  void anAdminsOwnLevelIsLeftToTheirFlow() {
    AssuranceRequest gold = requesting(5);
    assertFalse(gold.passkeyRequired());
    assertTrue(gold.metBy(true));
  }

  @Test
  void anAppThatMapsNeitherValueIsLeftAlone() {
    AssuranceRequest unmapped = new AssuranceRequest(2, OptionalInt.empty(), OptionalInt.empty());
    assertFalse(unmapped.passkeyRequired());
    assertTrue(unmapped.metBy(true));
    assertTrue(unmapped.levelOf(false).isEmpty());
  }
}
