package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway realm per test class, copied from the demo realm (docker/realm/passkeys-demo.json) so
 * tests exercise exactly what the demo and the compose file import. Deleted after the class.
 */
public final class TestRealm implements BeforeAllCallback, AfterAllCallback {

  /**
   * The confidential client tests use to exchange codes; its redirect URI accepts anything on
   * localhost.
   */
  public static final String TEST_CLIENT = "passkeys-it";

  public static final String TEST_CLIENT_SECRET = "it-secret";

  /** A web origin of the test client: the API answers CORS for it and for no other. */
  public static final String APP_ORIGIN = "https://app.example.test";

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final boolean fromDemoRealm;
  private KeycloakServer server;
  private AdminClient admin;
  private String name;
  private Class<?> owner;

  /** A copy of the demo realm: passkeys enabled from the start. */
  public TestRealm() {
    this(true);
  }

  private TestRealm(boolean fromDemoRealm) {
    this.fromDemoRealm = fromDemoRealm;
  }

  /**
   * A realm as Keycloak creates it, with only the test client and events on: passkeys are off, so a
   * test can give it history through Keycloak's own flows before it enables them.
   */
  public static TestRealm withoutPasskeys() {
    return new TestRealm(false);
  }

  /**
   * @Nested classes inherit this extension: they share the realm of the class that declares it.
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    if (owner != null) {
      return;
    }
    owner = context.getRequiredTestClass();
    server = KeycloakExtension.server(context);
    admin = AdminClient.of(server);
    name =
        "it-"
            + context.getRequiredTestClass().getSimpleName().toLowerCase()
            + "-"
            + COUNTER.incrementAndGet();
    if (fromDemoRealm) {
      admin.ok(admin.post("/realms", realmRepresentation(name)));
      grantApiScopeToTestClient(admin, name);
    } else {
      ObjectNode plain =
          AdminClient.JSON
              .createObjectNode()
              .put("realm", name)
              .put("enabled", true)
              .put("eventsEnabled", true);
      plain.putArray("clients").add(testClient(false));
      admin.ok(admin.post("/realms", plain));
    }
  }

  /**
   * After enabling passkeys on a realm {@link #withoutPasskeys()}: the test client may ask for the
   * API scope.
   */
  public void grantApiScopeToTestClient() {
    grantApiScopeToTestClient(admin, name);
  }

  /** An admin API answer under this realm ({@code /admin/realms/{name}} + path); 2xx or fails. */
  public JsonNode adminGet(String path) {
    return admin().ok(admin().get("/realms/" + name() + path));
  }

  /**
   * The passkeys API scope exists once passkeys are enabled; apps get it only when the admin grants
   * it.
   */
  static void grantApiScopeToTestClient(AdminClient admin, String name) {
    String scopeId = null;
    for (JsonNode scope : admin.ok(admin.get("/realms/" + name + "/client-scopes"))) {
      if (scope.get("name").asText().equals("passkeys")) {
        scopeId = scope.get("id").asText();
      }
    }
    if (scopeId == null) {
      throw new AssertionError("enabling passkeys did not create the 'passkeys' client scope");
    }
    String clientId =
        admin
            .ok(admin.get("/realms/" + name + "/clients?clientId=" + TEST_CLIENT))
            .get(0)
            .get("id")
            .asText();
    admin.ok(
        admin.put(
            "/realms/" + name + "/clients/" + clientId + "/optional-client-scopes/" + scopeId, ""));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getRequiredTestClass() != owner) {
      return;
    }
    if (admin != null && name != null) {
      admin.delete("/realms/" + name);
    }
    owner = null;
  }

  public String name() {
    return name;
  }

  public KeycloakServer server() {
    return server;
  }

  public AdminClient admin() {
    return admin;
  }

  public String realmUrl() {
    return server.baseUrl() + "/realms/" + name;
  }

  /** Creates an enabled user with a password; returns the user id. */
  public String createUser(String username, String password, String... requiredActions) {
    return createUser(admin, name, username, password, requiredActions);
  }

  /**
   * An enabled user with a verified e-mail and a password, through {@code admin}'s node; returns
   * the id.
   */
  public static String createUser(
      AdminClient admin,
      String realm,
      String username,
      String password,
      String... requiredActions) {
    return createUser(admin, realm, username, password, java.util.List.of(), requiredActions);
  }

  /**
   * The same with more credentials beside the password, in the form of a realm export (for example
   * an OTP credential with its {@code secretData} and {@code credentialData}), as Keycloak imports
   * them.
   */
  public String createUser(
      String username, String password, java.util.List<Map<String, Object>> moreCredentials) {
    return createUser(admin, name, username, password, moreCredentials);
  }

  private static String createUser(
      AdminClient admin,
      String realm,
      String username,
      String password,
      java.util.List<Map<String, Object>> moreCredentials,
      String... requiredActions) {
    java.util.List<Map<String, Object>> credentials = new java.util.ArrayList<>();
    credentials.add(Map.of("type", "password", "value", password, "temporary", false));
    credentials.addAll(moreCredentials);
    Map<String, Object> user =
        Map.of(
            "username",
            username,
            "enabled",
            true,
            "email",
            username + "@example.test",
            "emailVerified",
            true,
            "firstName",
            "Test",
            "lastName",
            username,
            "requiredActions",
            java.util.List.of(requiredActions),
            "credentials",
            credentials);
    AdminClient.Response r = admin.post("/realms/" + realm + "/users", user);
    if (r.status() != 201) {
      throw new AssertionError(
          "Could not create user " + username + ": " + r.status() + " " + r.body());
    }
    return admin
        .ok(admin.get("/realms/" + realm + "/users?exact=true&username=" + username))
        .get(0)
        .get("id")
        .asText();
  }

  public String userId(String username) {
    JsonNode users =
        admin.ok(admin.get("/realms/" + name + "/users?exact=true&username=" + username));
    return users.get(0).get("id").asText();
  }

  public JsonNode credentials(String userId) {
    return admin.ok(admin.get("/realms/" + name + "/users/" + userId + "/credentials"));
  }

  /**
   * The user's passkeys ({@code webauthn-passwordless} credentials), as the admin API lists them.
   */
  public java.util.List<JsonNode> passkeys(String userId) {
    java.util.List<JsonNode> passkeys = new java.util.ArrayList<>();
    credentials(userId)
        .forEach(
            c -> {
              if (c.path("type").asText().equals("webauthn-passwordless")) {
                passkeys.add(c);
              }
            });
    return passkeys;
  }

  /**
   * One figure of the realm's admin stats, by JSON pointer (e.g. {@code
   * /last_30_days/nudge/shown}).
   */
  public long stat(String pointer) {
    return admin.ok(admin.get("/realms/" + name + "/passkeys/v1/stats")).at(pointer).asLong();
  }

  /** The realm's user events of one type, newest first. */
  public JsonNode events(String type) {
    return admin.ok(admin.get("/realms/" + name + "/events?type=" + type + "&max=50"));
  }

  /** The realm's user events of one type for one user, newest first. */
  public JsonNode events(String type, String userId) {
    return admin.ok(
        admin.get("/realms/" + name + "/events?type=" + type + "&user=" + userId + "&max=50"));
  }

  /** The user's active sessions (the admin API's view). */
  public JsonNode sessions(String userId) {
    return admin.ok(admin.get("/realms/" + name + "/users/" + userId + "/sessions"));
  }

  /**
   * Sum of a counter's series for this realm that carry {@code label}, from the server's /metrics.
   */
  public long metric(String name, String label) {
    return ServerMetrics.counter(this, name, label);
  }

  /**
   * Changes the realm's passkey settings through the settings API (only the fields given); the
   * settings after.
   */
  public JsonNode settings(Map<String, Object> fields) {
    return admin.ok(admin.put("/realms/" + name + "/passkeys/v1/settings", fields));
  }

  public void updateUser(String userId, Map<String, Object> fields) {
    admin.ok(admin.put("/realms/" + name + "/users/" + userId, fields));
  }

  /**
   * Changes a user through their full representation: a partial PUT may drop what it leaves out
   * (user profile attributes).
   */
  public void editUser(String userId, java.util.function.Consumer<ObjectNode> change) {
    ObjectNode rep = (ObjectNode) admin.ok(admin.get("/realms/" + name + "/users/" + userId));
    change.accept(rep);
    admin.ok(admin.put("/realms/" + name + "/users/" + userId, rep));
  }

  /** Changes the realm's user profile configuration (e.g. its unmanaged attribute policy). */
  public void editUserProfile(java.util.function.Consumer<ObjectNode> change) {
    ObjectNode profile = (ObjectNode) admin.ok(admin.get("/realms/" + name + "/users/profile"));
    change.accept(profile);
    admin.ok(admin.put("/realms/" + name + "/users/profile", profile));
  }

  /** The realm's mail server settings (e.g. {@code MailSink.realmSmtpServer()}). */
  public void useMailServer(Map<String, String> smtpServer) {
    admin.ok(admin.put("/realms/" + name, Map.of("smtpServer", smtpServer)));
  }

  /**
   * A second realm of this server ({@code idpRealm}) as an external OpenID Connect identity
   * provider of this realm under {@code alias}: a confidential "broker" client there, an IdP
   * instance here (users imported). The caller deletes {@code idpRealm} when done.
   */
  public void createExternalIdentityProvider(String alias, String idpRealm) {
    String server = server().baseUrl();
    String base = "/realms/" + name;
    admin.ok(
        admin.post(
            "/realms",
            Map.of(
                "realm",
                idpRealm,
                "enabled",
                true,
                "clients",
                java.util.List.of(
                    Map.of(
                        "clientId",
                        "broker",
                        "secret",
                        "broker-secret",
                        "publicClient",
                        false,
                        "standardFlowEnabled",
                        true,
                        "redirectUris",
                        java.util.List.of(server + base + "/broker/" + alias + "/endpoint"))))));
    String oidcBase = server + "/realms/" + idpRealm + "/protocol/openid-connect";
    admin.ok(
        admin.post(
            base + "/identity-provider/instances",
            Map.of(
                "alias",
                alias,
                "providerId",
                "oidc",
                "enabled",
                true,
                "config",
                Map.of(
                    "clientId",
                    "broker",
                    "clientSecret",
                    "broker-secret",
                    "authorizationUrl",
                    oidcBase + "/auth",
                    "tokenUrl",
                    oidcBase + "/token",
                    "clientAuthMethod",
                    "client_secret_post",
                    "syncMode",
                    "IMPORT"))));
  }

  /** The user's one passkey; fails unless the user has exactly one. */
  public JsonNode onlyPasskey(String userId) {
    java.util.List<JsonNode> all = passkeys(userId);
    org.junit.jupiter.api.Assertions.assertEquals(1, all.size(), all.toString());
    return all.get(0);
  }

  /**
   * How recent a sign-in must be to add, rename or delete passkeys ({@code
   * passkeys.reauthenticationSeconds}).
   */
  public void setReauthenticationSeconds(String seconds) {
    ObjectNode rep = (ObjectNode) admin.ok(admin.get("/realms/" + name));
    ((ObjectNode) rep.with("attributes")).put("passkeys.reauthenticationSeconds", seconds);
    admin.ok(admin.put("/realms/" + name, rep));
  }

  /** A top-level flow of these authenticators, each REQUIRED, in this order; returns its id. */
  public String createFlow(String alias, String... providers) {
    return createFlow(admin, name, alias, providers);
  }

  /** {@link #createFlow(String, String...)} in any realm, through any node's admin API. */
  public static String createFlow(
      AdminClient admin, String name, String alias, String... providers) {
    String base = "/realms/" + name + "/authentication/flows";
    admin.ok(
        admin.post(
            base,
            Map.of(
                "alias",
                alias,
                "providerId",
                "basic-flow",
                "topLevel",
                true,
                "builtIn",
                false,
                "description",
                "test flow")));
    String executions = base + "/" + alias.replace(" ", "%20") + "/executions";
    for (String provider : providers) {
      admin.ok(admin.post(executions + "/execution", Map.of("provider", provider)));
    }
    for (JsonNode execution : admin.ok(admin.get(executions))) {
      ((ObjectNode) execution).put("requirement", "REQUIRED");
      admin.ok(admin.put(executions, execution));
    }
    for (JsonNode flow : admin.ok(admin.get(base))) {
      if (alias.equals(flow.path("alias").asText())) {
        return flow.path("id").asText();
      }
    }
    throw new AssertionError("flow " + alias + " not created");
  }

  /** The id of the realm's authentication flow with this alias, if there is one. */
  public java.util.Optional<String> flowId(String alias) {
    for (JsonNode flow : admin.ok(admin.get("/realms/" + name + "/authentication/flows"))) {
      if (alias.equals(flow.path("alias").asText())) {
        return java.util.Optional.of(flow.path("id").asText());
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * A public client whose browser flow is the flow with this id; redirects to localhost as the test
   * client's.
   */
  public void createClientWithBrowserFlow(String clientId, String browserFlowId) {
    admin.ok(
        admin.post(
            "/realms/" + name + "/clients",
            Map.of(
                "clientId",
                clientId,
                "enabled",
                true,
                "publicClient",
                true,
                "standardFlowEnabled",
                true,
                "redirectUris",
                java.util.List.of("http://localhost:*", "http://localhost/*"),
                "authenticationFlowBindingOverrides",
                Map.of("browser", browserFlowId))));
  }

  /** Deletes one credential as an admin would (Users → Credentials → Delete). */
  public void deleteCredential(String userId, String credentialId) {
    admin.ok(admin.delete("/realms/" + name + "/users/" + userId + "/credentials/" + credentialId));
  }

  /** Deletes the user's password, so that passkeys are the only way left to sign in. */
  public void deletePassword(String userId) {
    credentials(userId)
        .forEach(
            c -> {
              if (c.path("type").asText().equals("password")) {
                deleteCredential(userId, c.get("id").asText());
              }
            });
  }

  public void deleteUser(String userId) {
    admin.ok(admin.delete("/realms/" + name + "/users/" + userId));
  }

  static ObjectNode realmRepresentation(String name) {
    try {
      ObjectNode realm =
          (ObjectNode)
              AdminClient.JSON.readTree(
                  Files.readString(KeycloakServer.requiredPath("passkeys.realm.demo")));
      String demoName = realm.path("realm").asText();
      realm.put("realm", name);
      // The demo user has the demo realm's default roles; here they are this realm's.
      for (com.fasterxml.jackson.databind.JsonNode user : realm.path("users")) {
        com.fasterxml.jackson.databind.node.ArrayNode roles =
            ((ObjectNode) user).withArray("realmRoles");
        for (int i = 0; i < roles.size(); i++) {
          if (roles.get(i).asText().equals("default-roles-" + demoName)) {
            roles.set(i, AdminClient.JSON.getNodeFactory().textNode("default-roles-" + name));
          }
        }
      }
      // Tests that want the "create a passkey?" nudge switch it on themselves (NudgeIT).
      ((ObjectNode) realm.with("attributes")).remove("passkeys.nudge.enabled");
      realm.remove("id");
      realm.withArray("clients").add(testClient(true));
      return realm;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test client; in a realm {@link #withoutPasskeys()} it has no amr mapper (enabling adds
   * one).
   */
  private static ObjectNode testClient(boolean withAmrMapper) {
    ObjectNode testClient = AdminClient.JSON.createObjectNode();
    testClient.put("clientId", TEST_CLIENT);
    testClient.put("enabled", true);
    testClient.put("publicClient", false);
    testClient.put("secret", TEST_CLIENT_SECRET);
    testClient.put("standardFlowEnabled", true);
    testClient.put("directAccessGrantsEnabled", true);
    testClient.putArray("redirectUris").add("http://localhost:*").add("http://localhost/*");
    testClient.putArray("webOrigins").add("+").add(APP_ORIGIN);
    if (withAmrMapper) {
      ObjectNode amr = testClient.putArray("protocolMappers").addObject();
      amr.put("name", "amr");
      amr.put("protocol", "openid-connect");
      amr.put("protocolMapper", "oidc-passkeys-amr-mapper");
      amr.putObject("config").put("id.token.claim", "true").put("access.token.claim", "true");
    }
    return testClient;
  }
}
