package dev.kcpasskeys.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.keycloak.models.RealmModel;

class PasskeySettingsTest {

  @Test
  void aNullRealmGivesTheDefaults() {
    assertEquals(PasskeySettings.defaults(), PasskeySettings.read(null));
  }

  /**
   * An origin written by hand or by an import, never through the checks, is ignored (one bad line
   * must not break every sign-in) and named for the settings' warnings.
   */
  @Test
  void whatIsNotAnOriginIsIgnoredAndNamed() {
    RealmModel realm =
        RealmAttributes.realm(
            Map.of("passkeys.origins", "not an origin\nhttps://shop.example.net"));
    assertEquals(List.of("https://shop.example.net"), PasskeySettings.read(realm).origins());
    assertEquals(List.of("not an origin"), PasskeySettings.ignoredOrigins(realm));
  }

  @Test
  void garbledAttributesFallBackToDefaults() {
    RealmModel realm =
        RealmAttributes.realm(
            Map.of(
                "passkeys.enabled",
                "maybe",
                "passkeys.allowedAaguids",
                "nope\n\n",
                "passkeys.origins",
                " , ,"));
    PasskeySettings settings = PasskeySettings.read(realm);
    assertFalse(settings.enabled());
    assertEquals(Set.of(), settings.allowedAaguids());
    assertEquals(List.of(), settings.origins());
  }

  @Test
  void writeThenReadRoundTrips() {
    RealmModel realm = RealmAttributes.realm(Map.of());
    UUID aaguid = UUID.fromString("fbfc3007-154e-4ecc-8c0b-6e020557d7bd");
    PasskeySettings settings =
        new PasskeySettings(
            true,
            Optional.of("example.com"),
            Optional.of("Example"),
            List.of("https://a.example.com", "https://b.example.com"),
            "required",
            "none",
            Set.of(aaguid),
            Optional.of("browser"),
            true);
    settings.write(realm);
    assertEquals(settings, PasskeySettings.read(realm));
  }

  @Test
  void securityMailIsOffByDefaultAndAnUpdateWithoutItKeepsIt() {
    assertFalse(PasskeySettings.defaults().notifyEmail());
    RealmModel realm = RealmAttributes.realm(Map.of());
    assertFalse(PasskeySettings.read(realm).notifyEmail());
    SettingsUpdate.builder().notifyEmail(true).build().applyTo(realm, "localhost");
    assertTrue(PasskeySettings.read(realm).notifyEmail());
    assertEquals("true", realm.getAttribute("passkeys.notify.email"));
    SettingsUpdate.builder().rpName("Renamed").build().applyTo(realm, "localhost");
    assertTrue(
        PasskeySettings.read(realm).notifyEmail(), "an update that does not name it keeps it");
  }

  @Test
  void anUpdateWithAForeignRpIdChangesNothing() {
    RealmModel realm = RealmAttributes.realm(Map.of("passkeys.rpName", "Before"));
    SettingsUpdate update = SettingsUpdate.builder().rpId("evil.example").rpName("After").build();
    SettingsUpdate.Invalid refused =
        assertThrows(
            SettingsUpdate.Invalid.class, () -> update.checkAgainst(realm, "login.example.com"));
    assertEquals("invalid_rp_id", refused.code());
    assertEquals(Optional.of("Before"), PasskeySettings.read(realm).rpName());
  }

  @Test
  void theRealmsFrontendUrlDecidesWhichRpIdsFit() {
    RealmModel realm =
        RealmAttributes.realm(Map.of("frontendUrl", "https://login.example.com/auth"));
    SettingsUpdate.builder().rpId("example.com").build().checkAgainst(realm, "admin.internal");
    assertThrows(
        SettingsUpdate.Invalid.class,
        () ->
            SettingsUpdate.builder()
                .rpId("internal")
                .build()
                .checkAgainst(realm, "admin.internal"));
  }

  @Test
  void rpIdRules() {
    assertTrue(RelyingPartyPolicy.rpIdProblem("example.com", "login.example.com").isEmpty());
    assertTrue(RelyingPartyPolicy.rpIdProblem("login.example.com", "login.example.com").isEmpty());
    assertTrue(RelyingPartyPolicy.rpIdProblem("localhost", "localhost").isEmpty());
    assertTrue(
        RelyingPartyPolicy.rpIdProblem("ample.com", "login.example.com").isPresent(),
        "not a label boundary");
    assertTrue(
        RelyingPartyPolicy.rpIdProblem("com", "example.com").isPresent(), "a top-level domain");
    assertTrue(
        RelyingPartyPolicy.rpIdProblem("127.0.0.1", "127.0.0.1").isPresent(), "an IP address");
    assertTrue(
        RelyingPartyPolicy.rpIdProblem("example.com:443", "example.com").isPresent(), "a port");
  }

  @Test
  void originRules() {
    assertTrue(RelyingPartyPolicy.originProblem("https://accounts.example.com").isEmpty());
    assertTrue(RelyingPartyPolicy.originProblem("https://accounts.example.com:8443").isEmpty());
    assertTrue(RelyingPartyPolicy.originProblem("http://app.localhost:3000").isEmpty());
    assertTrue(
        RelyingPartyPolicy.originProblem("android:apk-key-hash:AbCdEfGhIjKlMnOpQrStUvWx")
            .isEmpty());
    assertTrue(
        RelyingPartyPolicy.originProblem("https://accounts.example.com:443").isPresent(),
        "default port spelled");
    assertTrue(RelyingPartyPolicy.originProblem("https://example.com/").isPresent(), "a path");
    assertTrue(RelyingPartyPolicy.originProblem("http://example.com").isPresent(), "plain http");
    assertTrue(RelyingPartyPolicy.originProblem("null").isPresent());
  }

  @Test
  void automaticUpgradesAreOnUnlessTheRealmSwitchesThemOff() {
    assertTrue(PasskeySettings.upgradeEnabled(RealmAttributes.realm(Map.of())));
    assertTrue(
        PasskeySettings.upgradeEnabled(
            RealmAttributes.realm(Map.of("passkeys.upgrade.enabled", "maybe"))));
    assertFalse(
        PasskeySettings.upgradeEnabled(
            RealmAttributes.realm(Map.of("passkeys.upgrade.enabled", " FALSE "))));
    RealmModel realm = RealmAttributes.realm(Map.of());
    PasskeySettings.writeUpgradeEnabled(realm, false);
    assertFalse(PasskeySettings.upgradeEnabled(realm));
  }
}
