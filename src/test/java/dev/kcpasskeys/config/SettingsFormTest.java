package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

/** The admin console's form of the settings: what it shows is what saving it unchanged keeps. */
class SettingsFormTest {

  private final RealmModel realm =
      RealmAttributes.realm(
          Map.of(
              "passkeys.enabled", "true",
              "passkeys.rpId", "example.com",
              "passkeys.origins", "https://a.example.com\nhttps://b.example.com",
              "passkeys.nudge.snoozeDays", "7"));

  @Test
  void everyFieldOfTheFormHasTheApisNameAndAHelpText() {
    List<String> names =
        SettingsForm.properties().stream().map(ProviderConfigProperty::getName).toList();
    assertEquals(
        List.of(
            "enabled",
            "rp_id",
            "rp_name",
            "origins",
            "allowed_aaguids",
            "two_factor_keys_sign_in",
            "amr_claim",
            "upgrade_enabled",
            "nudge_enabled",
            "nudge_snooze_days",
            "nudge_force_after_snoozes",
            "nudge_clients",
            "notify_email",
            "passkey_first_sign_up",
            "max_passkeys",
            "hints",
            "passkey_types",
            "passkey_after_password",
            "attestation",
            "metadata_source",
            "metadata_root_certificate"),
        names);
    assertTrue(
        SettingsForm.properties().stream()
            .allMatch(p -> p.getHelpText() != null && !p.getHelpText().isBlank()));
    assertEquals(
        names,
        List.copyOf(SettingsForm.valuesOf(realm).keySet()),
        "the form shows every field it has");
  }

  @Test
  void savingTheFormAsShownChangesNothing() {
    Map<String, String> shown = SettingsForm.flatValuesOf(realm);
    assertEquals(
        "https://a.example.com##https://b.example.com",
        shown.get("origins"),
        "Keycloak's multivalued form");
    PasskeySettings current = PasskeySettings.read(realm);
    assertEquals(current, SettingsForm.read(shown).merge(current, "login.example.com"));
    assertEquals(7, SettingsForm.read(shown).mergeNudge(realm).snoozeDays());
  }

  @Test
  void anEmptiedTextOrListFieldClearsTheSettingAndAnEmptySwitchKeepsIt() {
    PasskeySettings cleared =
        SettingsForm.read(Map.of("enabled", "true"))
            .merge(PasskeySettings.read(realm), "login.example.com");
    assertEquals(
        Optional.empty(), cleared.rpId(), "Keycloak leaves an emptied field out of the saved form");
    assertEquals(List.of(), cleared.origins());
    assertEquals(7, SettingsForm.read(Map.of()).mergeNudge(realm).snoozeDays(), "no number: kept");
  }

  @Test
  void aNumberThatIsNotOneIsRefusedWithTheApisCode() {
    SettingsUpdate.Invalid refused =
        assertThrows(
            SettingsUpdate.Invalid.class,
            () -> SettingsForm.read(Map.of("nudge_snooze_days", "a week")));
    assertEquals("invalid_nudge", refused.code());
  }
}
