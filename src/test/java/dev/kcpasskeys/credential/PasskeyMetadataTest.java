package dev.kcpasskeys.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasskeyMetadataTest {

  private final PasskeyMetadata metadata =
      new PasskeyMetadata(1, true, true, true, 5_000, "page", false);

  @Test
  void aLaterSeparatelyRecordedLastUseWins() {
    PasskeyMetadata merged = metadata.usedNoEarlierThan(9_000);
    assertEquals(9_000, merged.lastUsedAt());
    assertEquals(new PasskeyMetadata(1, true, true, true, 9_000, "page", false), merged);
  }

  @Test
  void anEarlierOrMissingOneChangesNothing() {
    assertSame(metadata, metadata.usedNoEarlierThan(4_000));
    assertSame(metadata, metadata.usedNoEarlierThan(0));
  }

  /**
   * Issue #17: version 1 wrote BS as the BE of a built-in passkey; such a false is learnt again.
   */
  @Test
  void aBuiltInPasskeysVersion1FalseBackupEligibilityIsLearntAgain() {
    PasskeyMetadata learntFromBs =
        new PasskeyMetadata(1, false, false, false, 5_000, "keycloak", false);
    assertEquals(Optional.empty(), learntFromBs.backupEligibleFlag());
    PasskeyMetadata relearnt = learntFromBs.usedAt(9_000, false, true);
    assertEquals(Optional.of(true), relearnt.backupEligibleFlag());
    assertEquals(PasskeyMetadata.CURRENT_VERSION, relearnt.version());
    assertEquals(
        Optional.of(true),
        relearnt.usedAt(10_000, false, false).backupEligibleFlag(),
        "known from now on");
  }

  @Test
  void backupEligibilityWeRecordedIsKept() {
    assertEquals(
        Optional.of(false),
        new PasskeyMetadata(1, false, false, true, 0, "page", false).backupEligibleFlag());
    assertEquals(
        Optional.of(true),
        new PasskeyMetadata(1, true, false, false, 0, "keycloak", false).backupEligibleFlag());
    assertEquals(
        Optional.of(false),
        new PasskeyMetadata(2, false, false, false, 0, "keycloak", false).backupEligibleFlag());
    assertEquals(
        Optional.of(false),
        new PasskeyMetadata(2, false, false, false, 0, "keycloak", false)
            .usedAt(1, true, true)
            .backupEligibleFlag(),
        "a known BE does not change with what a sign-in presents");
  }

  @Test
  void aFirstSignInLearnsTheBeFlagNotBs() {
    PasskeyMetadata signedIn = PasskeyMetadata.unknown().usedAt(9_000, false, true);
    assertEquals(Optional.of(true), signedIn.backupEligibleFlag(), "BE=1, BS=0");
    assertEquals(false, signedIn.backupState());
  }
}
