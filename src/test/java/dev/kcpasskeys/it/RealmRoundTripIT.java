package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A realm export and import keeps every passkey usable (issue #17): the realm as Keycloak's partial
 * export writes it (flows, clients, the passkeys.* attributes), its user with the passkey
 * credential and the extension's user attributes as a full export writes them, deleted and imported
 * again under the same name. The passkey signs in to the same user, and its metadata is the same.
 */
@ExtendWith(KeycloakExtension.class)
class RealmRoundTripIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private final Oidc oidc = new Oidc(realm);

  @Test
  void aPasskeySignsInAfterTheRealmIsExportedDeletedAndImported() throws Exception {
    realm.editUserProfile(profile -> profile.put("unmanagedAttributePolicy", "ADMIN_EDIT"));
    String userId = realm.createUser("rita", "rita-password", "passkey-register");
    SoftAuthenticator ritas = new SoftAuthenticator(realm.server().baseUrl());
    HttpLogin registration = new HttpLogin(realm.server().baseUrl());
    registration.open(oidc.authorizationUrl());
    HttpLogin.Result page = registration.passwordSignIn("rita", "rita-password");
    assertNotNull(registration.register("Rita's key", ritas.register(page.options())).code());
    assertEquals(userId, signIn(ritas), "before the round trip");

    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name();
    ObjectNode exported =
        (ObjectNode)
            admin.ok(
                admin.post(
                    base + "/partial-export?exportClients=true&exportGroupsAndRoles=true", ""));
    ObjectNode user = (ObjectNode) admin.ok(admin.get(base + "/users/" + userId));
    JsonNode metadataBefore = user.path("attributes");
    ArrayNode credentials = user.putArray("credentials");
    for (JsonNode credential : admin.ok(admin.get(base + "/users/" + userId + "/credentials"))) {
      if (credential.path("type").asText().equals("webauthn-passwordless")) {
        // What a full export writes for a WebAuthn credential: Keycloak keeps no secret for it.
        ((ObjectNode) credential).put("secretData", "{}");
        credentials.add(credential);
      }
    }
    assertEquals(1, credentials.size(), user.toString());
    user.remove("access");
    exported.putArray("users").add(user);
    for (JsonNode client : exported.path("clients")) {
      if (client.path("clientId").asText().equals(TestRealm.TEST_CLIENT)) {
        ((ObjectNode) client).put("secret", TestRealm.TEST_CLIENT_SECRET); // the export masks it
      }
    }

    admin.ok(admin.delete(base));
    admin.ok(admin.post("/realms", exported));

    assertEquals("passkeys browser", admin.ok(admin.get(base)).path("browserFlow").asText());
    assertEquals(
        userId, signIn(ritas), "the same passkey signs in to the same user after the round trip");
    JsonNode after = admin.ok(admin.get(base + "/users/" + userId)).path("attributes");
    String metaKey = firstMetaKey(metadataBefore);
    assertTrue(after.has(metaKey), after.toString());
    JsonNode before = AdminClient.JSON.readTree(metadataBefore.path(metaKey).get(0).asText());
    JsonNode now = AdminClient.JSON.readTree(after.path(metaKey).get(0).asText());
    for (String field : new String[] {"v", "be", "bs", "uv", "src"}) {
      assertEquals(
          before.path(field),
          now.path(field),
          "the metadata came along: " + field); // lu: this sign-in
    }
    assertTrue(now.path("lu").asLong() >= before.path("lu").asLong(), now.toString());
    assertEquals(1, realm.passkeys(userId).size());
    assertEquals("Rita's key", realm.passkeys(userId).get(0).path("userLabel").asText());
  }

  private String signIn(SoftAuthenticator authenticator) {
    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = login.open(oidc.authorizationUrl());
    HttpLogin.Result signedIn =
        login.passkeySignIn(authenticator.authenticate(page.options()), "button");
    assertNotNull(signedIn.code(), signedIn.toString());
    return Oidc.claims(oidc.exchange(signedIn.code()).get("id_token").asText())
        .path("sub")
        .asText();
  }

  private static String firstMetaKey(JsonNode attributes) {
    var names = attributes.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.startsWith("passkeys.meta.")) {
        return name;
      }
    }
    throw new AssertionError("no passkeys.meta.* attribute: " + attributes);
  }
}
