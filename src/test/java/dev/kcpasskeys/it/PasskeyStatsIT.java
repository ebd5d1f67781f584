package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The passkey counts of the admin stats ({@code GET /admin/realms/{realm}/passkeys/v1/stats}):
 * users with passkeys, synced versus this-device, and passkeys by provider, counted from the
 * database in two queries rather than by walking every user (issue #5, at 100 000 users).
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyStatsIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private static final UUID GOOGLE_PASSWORD_MANAGER =
      UUID.fromString("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4");
  private static final UUID YUBIKEY_5 = UUID.fromString("cb69481e-8ff7-4039-93ec-0a2729a154a8");

  @Test
  void countsTheRealmsPasskeysByUserSyncStateAndProvider() {
    JsonNode empty = stats();
    assertEquals(0, empty.get("users_with_passkeys").asLong(), empty.toString());
    assertEquals(Map.of(), longs(empty.get("passkeys_by_provider")));

    ApiClient ana = user("ana");
    SoftAuthenticator anasPhone = new SoftAuthenticator(realm.server().baseUrl());
    Tweaks synced =
        Tweaks.none().aaguid(GOOGLE_PASSWORD_MANAGER).backupEligible(true).backedUp(true);
    ana.register(anasPhone, "Ana's phone", synced);
    ana = new ApiClient(realm, ApiClient.passkeyToken(realm, anasPhone, synced, "openid passkeys"));
    ana.register(
        new SoftAuthenticator(realm.server().baseUrl()),
        "Ana's key",
        Tweaks.none().aaguid(YUBIKEY_5).backupEligible(false).backedUp(false));
    user("ben")
        .register(
            new SoftAuthenticator(realm.server().baseUrl()),
            "Ben's laptop",
            Tweaks.none().aaguid(UUID.randomUUID()).backupEligible(true).backedUp(true));
    user("cid"); // no passkey

    JsonNode stats = stats();
    assertEquals(2, stats.get("users_with_passkeys").asLong(), stats.toString());
    assertEquals(2, stats.get("synced").asLong(), stats.toString());
    assertEquals(1, stats.get("device_bound").asLong(), stats.toString());
    assertEquals(
        Map.of("Google Password Manager", 1L, "YubiKey 5 Series", 1L, "Unknown", 1L),
        longs(stats.get("passkeys_by_provider")));
  }

  private static ApiClient user(String name) {
    realm.createUser(name, name + "-password");
    return new ApiClient(
        realm, ApiClient.userToken(realm, name, name + "-password", "openid passkeys"));
  }

  private static JsonNode stats() {
    return realm.adminGet("/passkeys/v1/stats");
  }

  /** A JSON object of numbers as a map, for whole-map comparisons with readable failures. */
  private static Map<String, Long> longs(JsonNode object) {
    Map<String, Long> map = new TreeMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asLong()));
    return map;
  }
}
