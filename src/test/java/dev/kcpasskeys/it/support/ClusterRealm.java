package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * A throwaway realm on the cluster, copied from the demo realm like {@link TestRealm}, created on
 * node A and configured so that a passkey ceremony started on either node may finish on the other:
 * both nodes' origins are allowed (each node otherwise accepts only its own request origin). The
 * test client may ask for the app API's {@code passkeys} scope, as in {@link TestRealm}.
 */
public final class ClusterRealm {

  private final Cluster cluster;
  private final String name;

  public ClusterRealm(Cluster cluster, String name) {
    this.cluster = cluster;
    this.name = name;
    AdminClient admin = cluster.adminA();
    admin.ok(admin.post("/realms", TestRealm.realmRepresentation(name)));
    TestRealm.grantApiScopeToTestClient(admin, name);
    admin.ok(
        admin.put(
            "/realms/" + name + "/passkeys/v1/settings",
            Map.of("origins", List.of(cluster.nodeA(), cluster.nodeB()))));
  }

  public String name() {
    return name;
  }

  public String realmUrl(String node) {
    return node + "/realms/" + name;
  }

  public String authorizationUrl(String node) {
    return new Oidc(null).authorizationUrl(realmUrl(node), Map.of());
  }

  /** Creates an enabled user with a password on node A; returns the user id. */
  public String createUser(String username, String password, String... requiredActions) {
    return TestRealm.createUser(cluster.adminA(), name, username, password, requiredActions);
  }

  /** The user's passkeys as the admin API of {@code admin}'s node lists them. */
  public JsonNode passkeys(AdminClient admin, String userId) {
    return admin
        .ok(admin.get("/realms/" + name + "/passkeys/v1/users/" + userId + "/passkeys"))
        .get("passkeys");
  }

  /** Keycloak's own view: the user's credentials of every type. */
  public JsonNode credentials(AdminClient admin, String userId) {
    return admin.ok(admin.get("/realms/" + name + "/users/" + userId + "/credentials"));
  }

  /**
   * The stored signature counter of the user's only WebAuthn credential, read through {@code
   * admin}'s node.
   */
  public long counter(AdminClient admin, String userId) {
    for (JsonNode credential : credentials(admin, userId)) {
      if (credential.get("type").asText().startsWith("webauthn")) {
        try {
          return AdminClient.JSON
              .readTree(credential.get("credentialData").asText())
              .get("counter")
              .asLong();
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new AssertionError("no WebAuthn credential for " + userId);
  }

  /** Redeems a code at {@code node}'s token endpoint; returns the token response. */
  public JsonNode exchange(String node, String code) {
    AdminClient.Response r =
        AdminClient.send(
            HttpRequest.newBuilder(URI.create(realmUrl(node) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Oidc.form(
                            Map.of(
                                "grant_type",
                                "authorization_code",
                                "code",
                                code,
                                "redirect_uri",
                                Oidc.REDIRECT_URI,
                                "client_id",
                                TestRealm.TEST_CLIENT,
                                "client_secret",
                                TestRealm.TEST_CLIENT_SECRET)))));
    if (r.status() != 200) {
      throw new AssertionError(
          "Token exchange at " + node + " failed: " + r.status() + " " + r.body());
    }
    return r.json();
  }
}
