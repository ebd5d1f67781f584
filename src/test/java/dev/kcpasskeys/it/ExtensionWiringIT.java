package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/**
 * Proves the wiring: the real Keycloak loads our providers, serves our theme resources, and a
 * browser reaches it.
 */
@ExtendWith(KeycloakExtension.class)
class ExtensionWiringIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  @Test
  void serverInfoListsOurProviders(AdminClient admin) {
    JsonNode providers = admin.ok(admin.get("/serverinfo")).get("providers");
    assertTrue(
        providers.at("/authenticator/providers").has("passkey-login"),
        "authenticator passkey-login");
    assertTrue(
        providers.at("/realm-restapi-extension/providers").has("passkeys"),
        "realm resource passkeys");
    assertTrue(
        providers.at("/required-action/providers").has("passkey-register"),
        "required action passkey-register");
    assertTrue(
        providers.at("/protocol-mapper/providers").has("oidc-passkeys-amr-mapper"), "AMR mapper");
  }

  /**
   * The one JAR holds our classes and resources, and of libraries only webauthn4j-metadata, which
   * Keycloak does not ship (without its module-info, which would make the JAR a module). Keycloak's
   * own webauthn4j-core, Jackson and BouncyCastle are never bundled a second time.
   */
  @Test
  void theJarBundlesOnlyWhatKeycloakDoesNotShip() throws Exception {
    try (java.util.jar.JarFile jar =
        new java.util.jar.JarFile(System.getProperty("passkeys.jar"))) {
      java.util.List<String> foreign =
          jar.stream()
              .map(java.util.jar.JarEntry::getName)
              .filter(name -> name.endsWith(".class"))
              .filter(name -> !name.startsWith("dev/kcpasskeys/"))
              .filter(name -> !name.startsWith("com/webauthn4j/metadata/"))
              .toList();
      assertTrue(foreign.isEmpty(), "classes of other libraries in the JAR: " + foreign);
      assertTrue(
          jar.getEntry("com/webauthn4j/metadata/FidoMDS3MetadataBLOBProvider.class") != null,
          "webauthn4j-metadata is bundled");
    }
  }

  @Test
  void serverServesOurThemeResourcesFromTheLoginTheme() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String loginPage =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            realm.realmUrl()
                                + "/protocol/openid-connect/auth?client_id="
                                + TestRealm.TEST_CLIENT
                                + "&response_type=code&scope=openid&redirect_uri=http://localhost/cb"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher resources =
        Pattern.compile("(/resources/[^/\"]+/login/keycloak\\.v2)/").matcher(loginPage);
    assertTrue(resources.find(), "login page names its resource path");
    HttpResponse<String> js =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        realm.server().baseUrl() + resources.group(1) + "/js/passkey-ceremony.js"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, js.statusCode());
    assertTrue(js.body().contains("Keycloak Passkeys"), js.body());
  }

  @Test
  void servesTheOpenApiDocument() throws Exception {
    HttpResponse<String> doc =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(realm.realmUrl() + "/passkeys/v1/openapi.yaml"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, doc.statusCode());
    assertTrue(doc.body().startsWith("openapi: 3"), doc.body());
  }

  @Test
  void browserOpensTheDemoRealmLoginWithAVirtualAuthenticator() {
    Browser browser = browserExtension.browser();
    VirtualAuthenticator authenticator = browser.addPlatformAuthenticator();
    browser.open(realm.realmUrl() + "/account");
    browser.find(By.id("username"));
    Object webauthn =
        browser.script(
            "return typeof window.PublicKeyCredential === 'function' && window.isSecureContext;");
    assertEquals(Boolean.TRUE, webauthn, "WebAuthn is available on the login page");
    assertTrue(authenticator.getCredentials().isEmpty());
  }
}
