package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.FirstPartyApp;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Users of an LDAP directory (a real LDAP server, UnboundID's in-memory directory, in this JVM) in
 * every edit mode, with and without import: they register passkeys, sign in with them, list, rename
 * and delete them, as users Keycloak keeps itself do. Without import Keycloak keeps what is not in
 * the directory (credentials and attributes) in its federated storage.
 */
@ExtendWith(KeycloakExtension.class)
class LdapFederationIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private static final String BASE = "dc=example,dc=test";
  private static final String ADMIN_DN = "cn=admin," + BASE;
  private static final String ADMIN_PASSWORD = "admin-secret";
  private static InMemoryDirectoryServer ldap;
  private final Oidc oidc = new Oidc(realm);

  enum Mode {
    READ_ONLY_IMPORT("READ_ONLY", true),
    WRITABLE_IMPORT("WRITABLE", true),
    UNSYNCED_IMPORT("UNSYNCED", true),
    READ_ONLY_NO_IMPORT("READ_ONLY", false),
    WRITABLE_NO_IMPORT("WRITABLE", false);

    final String editMode;
    final boolean importEnabled;

    Mode(String editMode, boolean importEnabled) {
      this.editMode = editMode;
      this.importEnabled = importEnabled;
    }

    String ou() {
      return name().toLowerCase().replace('_', '-');
    }

    String username() {
      return "ldap-" + ou();
    }
  }

  @BeforeAll
  static void directoryWithAUserPerMode() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials(ADMIN_DN, ADMIN_PASSWORD);
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
    ldap = new InMemoryDirectoryServer(config);
    ldap.startListening();
    ldap.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
    String realmId =
        realm.admin().ok(realm.admin().get("/realms/" + realm.name())).path("id").asText();
    for (Mode mode : Mode.values()) {
      String ou = "ou=" + mode.ou() + "," + BASE;
      ldap.add(
          "dn: " + ou, "objectClass: top", "objectClass: organizationalUnit", "ou: " + mode.ou());
      ldap.add(
          "dn: uid=" + mode.username() + "," + ou,
          "objectClass: top",
          "objectClass: person",
          "objectClass: organizationalPerson",
          "objectClass: inetOrgPerson",
          "uid: " + mode.username(),
          "cn: LDAP " + mode.ou(),
          "sn: " + mode.ou(),
          "givenName: LDAP",
          "mail: " + mode.username() + "@example.test",
          "userPassword: " + password(mode));
      realm
          .admin()
          .ok(
              realm
                  .admin()
                  .post(
                      "/realms/" + realm.name() + "/components",
                      Map.of(
                          "name",
                          "ldap " + mode.ou(),
                          "providerId",
                          "ldap",
                          "providerType",
                          "org.keycloak.storage.UserStorageProvider",
                          "parentId",
                          realmId,
                          "config",
                          ldapConfig(mode, ou))));
    }
  }

  @AfterAll
  static void stopDirectory() {
    if (ldap != null) {
      ldap.shutDown(true);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anLdapUserRegistersSignsInListsRenamesAndDeletesPasskeys(Mode mode) {
    ApiClient api =
        new ApiClient(
            realm, ApiClient.userToken(realm, mode.username(), password(mode), "openid passkeys"));
    SoftAuthenticator authenticator = new SoftAuthenticator(realm.server().baseUrl());
    JsonNode registered = api.register(authenticator, "Directory key");
    String passkeyId = registered.path("id").asText();
    assertEquals("Directory key", registered.path("name").asText(), registered.toString());

    for (int signIn = 1; signIn <= 2; signIn++) {
      HttpLogin login = new HttpLogin(realm.server().baseUrl());
      HttpLogin.Result page = login.open(oidc.authorizationUrl());
      HttpLogin.Result signedIn =
          login.passkeySignIn(authenticator.authenticate(page.options()), "button");
      assertNotNull(signedIn.code(), mode + ", sign-in " + signIn + ": " + signedIn);
      String sub =
          Oidc.claims(oidc.exchange(signedIn.code()).get("id_token").asText()).path("sub").asText();
      assertEquals(userId(mode), sub, mode.toString());
    }

    // Deleting needs a session that signed in with the passkey (the user has one now).
    api = new ApiClient(realm, ApiClient.passkeyToken(realm, authenticator, "openid passkeys"));
    JsonNode listed = api.get("").json().path("passkeys");
    assertEquals(1, listed.size(), listed.toString());
    assertEquals(passkeyId, listed.get(0).path("id").asText());
    AdminClient.Response renamed =
        api.patch("/" + passkeyId, "{\"name\":\"Renamed directory key\"}");
    assertEquals(200, renamed.status(), renamed.body());
    assertEquals("Renamed directory key", api.get("/" + passkeyId).json().path("name").asText());
    AdminClient.Response deleted = api.delete("/" + passkeyId);
    assertEquals(204, deleted.status(), mode + ": " + deleted.body());
    assertEquals(List.of(), listNames(api), "nothing left");
  }

  /**
   * A support link started by the backend gives an LDAP user a passkey; it signs them in through
   * the login page and through a first-party app without it.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSupportLinkGivesAnLdapUserAPasskeyThatSignsInEverywhere(Mode mode) {
    AdminClient admin = realm.admin();
    AdminClient.Response created =
        admin.post(
            "/realms/" + realm.name() + "/passkeys/v1/users/" + userId(mode) + "/registrations",
            Map.of("name", "Linked key", "expires_in", 600));
    assertEquals(201, created.status(), mode + ": " + created.body());
    String ticket = created.json().get("ticket").asText();
    ApiClient anyone = new ApiClient(realm, null);
    AdminClient.Response options =
        anyone.postToApi("/registrations/options", "{\"ticket\":\"" + ticket + "\"}");
    assertEquals(200, options.status(), mode + ": " + options.body());
    assertEquals(mode.username(), options.json().get("username").asText());
    SoftAuthenticator key = new SoftAuthenticator(realm.server().baseUrl());
    String credential = key.register(options.json().get("publicKey").toString());
    AdminClient.Response done =
        anyone.postToApi(
            "/registrations/attempt_verification",
            "{\"ticket\":\"" + ticket + "\",\"credential\":" + credential + "}");
    assertEquals(200, done.status(), mode + ": " + done.body());
    assertEquals("Linked key", done.json().at("/passkey/name").asText());

    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    HttpLogin.Result page = login.open(oidc.authorizationUrl());
    HttpLogin.Result signedIn = login.passkeySignIn(key.authenticate(page.options()), "button");
    assertNotNull(signedIn.code(), mode + ": " + signedIn);

    JsonNode tokens = firstPartyApp().signIn(key);
    assertEquals(
        userId(mode),
        Oidc.claims(tokens.get("id_token").asText()).path("sub").asText(),
        mode + ": the first-party app signs the directory's user in");
    String passkeyId = done.json().at("/passkey/id").asText();
    admin.ok(
        admin.delete(
            "/realms/"
                + realm.name()
                + "/passkeys/v1/users/"
                + userId(mode)
                + "/passkeys/"
                + passkeyId));
  }

  private static FirstPartyApp app;

  private static synchronized FirstPartyApp firstPartyApp() {
    if (app == null) {
      app = FirstPartyApp.create(realm, "directory-app");
    }
    return app;
  }

  private static List<String> listNames(ApiClient api) {
    List<String> names = new java.util.ArrayList<>();
    api.get("").json().path("passkeys").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  private static String userId(Mode mode) {
    return realm.userId(mode.username());
  }

  private static String password(Mode mode) {
    return mode.username() + "-password";
  }

  private static Map<String, List<String>> ldapConfig(Mode mode, String usersDn) {
    Map<String, List<String>> config = new java.util.HashMap<>();
    config.put("enabled", List.of("true"));
    config.put("priority", List.of("0"));
    config.put("editMode", List.of(mode.editMode));
    config.put("importEnabled", List.of(Boolean.toString(mode.importEnabled)));
    config.put("syncRegistrations", List.of("false"));
    config.put("vendor", List.of("other"));
    config.put("usernameLDAPAttribute", List.of("uid"));
    config.put("rdnLDAPAttribute", List.of("uid"));
    config.put("uuidLDAPAttribute", List.of("entryUUID"));
    config.put("userObjectClasses", List.of("inetOrgPerson, organizationalPerson"));
    config.put("connectionUrl", List.of("ldap://127.0.0.1:" + ldap.getListenPort()));
    config.put("usersDn", List.of(usersDn));
    config.put("authType", List.of("simple"));
    config.put("bindDn", List.of(ADMIN_DN));
    config.put("bindCredential", List.of(ADMIN_PASSWORD));
    config.put("searchScope", List.of("1"));
    config.put("useTruststoreSpi", List.of("never"));
    config.put("pagination", List.of("false"));
    config.put("trustEmail", List.of("true"));
    return config;
  }
}
