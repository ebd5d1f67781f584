package dev.kcpasskeys.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kcpasskeys.ceremony.StoredPasskey;
import dev.kcpasskeys.credential.SignInRecord.Write;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignInRecordTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final long RESOLUTION = SignInRecord.LAST_USE_RESOLUTION.toMillis();

  @Test
  void aRepeatedSignInWithNothingNewWritesNothing() {
    Passkey synced = passkey(0, true, true, NOW - RESOLUTION + 1);
    assertEquals(Write.NOTHING, SignInRecord.needed(synced, 0, true, NOW));
  }

  @Test
  void aCounterThatWentUpIsWrittenWithTheCarefulPath() {
    Passkey deviceBound = passkey(7, false, false, NOW - 1);
    assertEquals(Write.COUNTER_OR_FLAGS, SignInRecord.needed(deviceBound, 8, false, NOW));
    assertEquals(
        Write.NOTHING,
        SignInRecord.needed(deviceBound, 7, false, NOW),
        "equal counter, fresh last use");
  }

  @Test
  void aChangedBackupStateIsWrittenWithTheCarefulPath() {
    Passkey notYetSynced = passkey(0, true, false, NOW - 1);
    assertEquals(Write.COUNTER_OR_FLAGS, SignInRecord.needed(notYetSynced, 0, true, NOW));
  }

  @Test
  void backupEligibilityNeverSeenIsWrittenOnTheFirstSignIn() {
    Passkey builtInRegistered =
        new Passkey(
            "id",
            "webauthn-passwordless",
            "Key",
            0,
            stored(0, Optional.empty(), false),
            new PasskeyMetadata(1, null, false, false, NOW - 1, "keycloak", false));
    assertEquals(Write.COUNTER_OR_FLAGS, SignInRecord.needed(builtInRegistered, 0, false, NOW));
  }

  @Test
  void onlyAStaleLastUseIsWrittenWithoutTouchingTheCache() {
    assertEquals(
        Write.LAST_USE,
        SignInRecord.needed(passkey(0, true, true, NOW - RESOLUTION), 0, true, NOW));
    assertEquals(
        Write.LAST_USE, SignInRecord.needed(passkey(0, true, true, 0), 0, true, NOW), "never used");
  }

  private static Passkey passkey(long counter, boolean be, boolean bs, long lastUsed) {
    return new Passkey(
        "id",
        "webauthn-passwordless",
        "Key",
        0,
        stored(counter, Optional.of(be), bs),
        new PasskeyMetadata(1, be, bs, true, lastUsed, "login", false));
  }

  private static StoredPasskey stored(long counter, Optional<Boolean> be, boolean bs) {
    return new StoredPasskey(
        new byte[16], new byte[4], new byte[0], counter, Set.of(), Optional.empty(), be, bs, true);
  }
}
