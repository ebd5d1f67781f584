package dev.kcpasskeys.rest.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;

class AdoptionCountsTest {

  private final AdoptionCounts counts = new AdoptionCounts();

  @Test
  void everyKnownKeyIsThereWithZeroWhenNothingHappened() {
    assertEquals(
        "{registrations_by_source={login=0, app=0, page=0, api=0, nudge=0, recovery=0, sign-up=0, upgrade=0}, "
            + "sign_ins_by_path={autofill=0, button=0, username-first=0, step-up=0}, "
            + "nudge={shown=0, accepted=0, snoozed=0, declined=0, unsupported=0}, "
            + "upgrade={tried=0, succeeded=0, fallback=0}}",
        counts.toJson().toString());
    assertEquals(0, counts.registrations());
    assertEquals(0, counts.signIns());
  }

  @Test
  void countsRegistrationsBySourceAndSignInsByPath() {
    counts.add(EventType.UPDATE_CREDENTIAL, Map.of("passkey_source", "nudge"));
    counts.add(EventType.UPDATE_CREDENTIAL, Map.of("passkey_source", "nudge"));
    counts.add(EventType.UPDATE_CREDENTIAL, Map.of("passkey_source", "api"));
    counts.add(EventType.LOGIN, Map.of("passkey_path", "autofill"));
    counts.add(EventType.LOGIN, Map.of("passkey_path", "step-up"));
    Map<?, ?> bySource = (Map<?, ?>) counts.toJson().get("registrations_by_source");
    assertEquals(2L, bySource.get("nudge"));
    assertEquals(1L, bySource.get("api"));
    assertEquals(3, counts.registrations());
    assertEquals(
        Map.of("autofill", 1L, "button", 0L, "username-first", 0L, "step-up", 1L),
        counts.toJson().get("sign_ins_by_path"));
    assertEquals(2, counts.signIns());
  }

  @Test
  void countsNudgeAndUpgradeOutcomesFromTheirEvents() {
    counts.add(EventType.CUSTOM_REQUIRED_ACTION, Map.of("passkey_nudge", "shown"));
    counts.add(EventType.CUSTOM_REQUIRED_ACTION, Map.of("passkey_nudge", "snoozed"));
    counts.add(EventType.CUSTOM_REQUIRED_ACTION, Map.of("passkey_upgrade", "tried"));
    counts.add(EventType.CUSTOM_REQUIRED_ACTION, Map.of("passkey_upgrade", "succeeded"));
    assertEquals(
        Map.of("shown", 1L, "accepted", 0L, "snoozed", 1L, "declined", 0L, "unsupported", 0L),
        counts.toJson().get("nudge"));
    assertEquals(
        Map.of("tried", 1L, "succeeded", 1L, "fallback", 0L), counts.toJson().get("upgrade"));
  }

  @Test
  void ignoresOtherEventsAndValuesNoCodeOfOursWrites() {
    counts.add(EventType.LOGIN, Map.of("auth_method", "openid-connect")); // a password sign-in
    counts.add(EventType.LOGIN, null);
    counts.add(EventType.UPDATE_CREDENTIAL, Map.of("credential_type", "password"));
    counts.add(EventType.UPDATE_CREDENTIAL, Map.of("passkey_source", "<script>"));
    counts.add(
        EventType.CUSTOM_REQUIRED_ACTION, Map.of("custom_required_action", "TERMS_AND_CONDITIONS"));
    counts.add(EventType.LOGOUT, Map.of("passkey_path", "button"));
    assertEquals(new AdoptionCounts().toJson(), counts.toJson());
  }
}
