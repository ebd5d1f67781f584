package dev.kcpasskeys.bench;

import dev.kcpasskeys.it.support.TestRealm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.BenchKeycloak;

/**
 * The two realms of one configuration, both copies of the demo realm (same themes, events,
 * client): "ours" keeps passkeys.enabled (the passkey-login flow); "builtin" drops it and turns on
 * Keycloak's own passkeys in the username + password form (policy passkeysEnabled = true).
 */
final class BenchRealms {

  private BenchRealms() {}

  /** With the test client marked first-party for (d), and no limit on its challenges. */
  static ObjectNode ours(String name) {
    ObjectNode realm = demoRealm(name);
    ((ObjectNode) realm.with("attributes")).put("passkeys.firstParty.challengesPerMinute", "0");
    for (JsonNode client : realm.withArray("clients")) {
      if (TestRealm.TEST_CLIENT.equals(client.path("clientId").asText())) {
        ((ObjectNode) client).with("attributes").put("passkeys.firstParty", "true");
      }
    }
    return realm;
  }

  /** Admin events off in both: seeding imports thousands of users and sign-ins create none. */
  private static ObjectNode demoRealm(String name) {
    return BenchKeycloak.demoRealm(name).put("adminEventsEnabled", false).put("adminEventsDetailsEnabled", false);
  }

  static ObjectNode builtIn(String name) {
    ObjectNode realm = demoRealm(name);
    ((ObjectNode) realm.path("attributes")).remove("passkeys.enabled");
    realm.put("webAuthnPolicyPasswordlessPasskeysEnabled", true);
    realm.put("webAuthnPolicyPasswordlessUserVerificationRequirement", "required");
    for (JsonNode client : realm.withArray("clients")) {
      ArrayNode mappers = (ArrayNode) client.path("protocolMappers");
      if (mappers.isArray()) {
        for (int i = mappers.size() - 1; i >= 0; i--) {
          if (mappers.get(i).path("protocolMapper").asText().startsWith("oidc-passkeys")) {
            mappers.remove(i);
          }
        }
      }
    }
    return realm;
  }
}
