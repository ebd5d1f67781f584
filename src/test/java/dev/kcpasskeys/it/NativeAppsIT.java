package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Native apps (issue 19, part): an Android app's {@code android:apk-key-hash:} origin completes
 * both ceremonies, and the realm makes the {@code assetlinks.json} and {@code
 * apple-app-site-association} the RP ID's host must serve.
 */
@ExtendWith(KeycloakExtension.class)
class NativeAppsIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  /** The SHA-256 of the app's signing certificate (here of a stand-in), as Android reports it. */
  static final byte[] CERT_HASH = sha256("the app's signing certificate");

  static final String ANDROID_ORIGIN =
      "android:apk-key-hash:" + Base64.getUrlEncoder().withoutPadding().encodeToString(CERT_HASH);

  @BeforeAll
  static void theRealmKnowsTheApp() {
    realm.settings(Map.of("origins", List.of(ANDROID_ORIGIN)));
  }

  @Test
  void anAndroidAppsOriginRegistersAndSignsIn() {
    realm.createUser("andy", "andy-password");
    ApiClient api =
        new ApiClient(
            realm, ApiClient.userToken(realm, "andy", "andy-password", "openid passkeys"));
    SoftAuthenticator app = new SoftAuthenticator(ANDROID_ORIGIN);
    JsonNode passkey = api.register(app, "Andy's Pixel");
    assertEquals("Andy's Pixel", passkey.get("name").asText());

    HttpLogin login = new HttpLogin(realm.server().baseUrl());
    login.open(new Oidc(realm).authorizationUrl());
    HttpLogin.Result done = login.passkeySignIn(app.authenticate(login.last().options()), "button");
    assertNotNull(done.code(), "the app's assertion signs in: " + done);
  }

  @Test
  void anUnknownAppsOriginIsRefused() {
    realm.createUser("ann", "ann-password");
    ApiClient api =
        new ApiClient(realm, ApiClient.userToken(realm, "ann", "ann-password", "openid passkeys"));
    SoftAuthenticator other =
        new SoftAuthenticator(
            "android:apk-key-hash:"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("another app")));
    AdminClient.Response refused = api.finish(api.post("", "{}"), other);
    assertEquals(400, refused.status(), refused.body());
    assertEquals("invalid_credential", refused.json().get("error").asText());
    assertEquals(List.of(), realm.passkeys(realm.userId("ann")));
  }

  @Test
  void theRealmMakesTheFilesTheRpHostServes() {
    AdminClient admin = realm.admin();
    String base = "/realms/" + realm.name() + "/passkeys/v1/native-apps/";
    JsonNode links = admin.ok(admin.get(base + "assetlinks.json?package_name=com.example.bank"));
    JsonNode target = links.get(0).get("target");
    assertEquals("com.example.bank", target.get("package_name").asText());
    assertEquals(
        HexFormat.ofDelimiter(":").withUpperCase().formatHex(CERT_HASH),
        target.get("sha256_cert_fingerprints").get(0).asText());
    assertEquals(
        "delegate_permission/common.get_login_creds", links.get(0).get("relation").get(1).asText());

    JsonNode apple =
        admin.ok(admin.get(base + "apple-app-site-association?app_id=ABCDE12345.com.example.bank"));
    assertEquals("ABCDE12345.com.example.bank", apple.at("/webcredentials/apps/0").asText());

    AdminClient.Response badPackage =
        admin.get(base + "assetlinks.json?package_name=not%20a%20package");
    assertEquals(400, badPackage.status());
    assertEquals("invalid_request", badPackage.json().get("error").asText());
    AdminClient.Response badApp = admin.get(base + "apple-app-site-association?app_id=com.example");
    assertEquals(400, badApp.status());
  }

  /**
   * Related Origin Requests (issue 19, part): a sibling site of another registrable domain is
   * listed in the document the RP ID's host serves at /.well-known/webauthn, its passkeys are
   * accepted, and more labels than browsers take are refused.
   */
  @Test
  void relatedOriginsAreServedAcceptedAndLimitedToFiveLabels() throws Exception {
    realm.settings(Map.of("origins", List.of(ANDROID_ORIGIN, "https://shop.example.net")));
    try {
      JsonNode document = relatedOriginsDocument();
      assertEquals(
          List.of("https://shop.example.net"),
          AdminClient.JSON.convertValue(document.get("origins"), List.class));

      realm.createUser("rita", "rita-password");
      ApiClient api =
          new ApiClient(
              realm, ApiClient.userToken(realm, "rita", "rita-password", "openid passkeys"));
      JsonNode passkey = api.register(new SoftAuthenticator("https://shop.example.net"), "Shop");
      assertEquals("Shop", passkey.get("name").asText());

      AdminClient.Response tooMany =
          realm
              .admin()
              .put(
                  "/realms/" + realm.name() + "/passkeys/v1/settings",
                  Map.of(
                      "origins",
                      List.of(
                          "https://a.com",
                          "https://b.net",
                          "https://c.org",
                          "https://d.io",
                          "https://e.com",
                          "https://f.com")));
      assertEquals(400, tooMany.status(), tooMany.body());
      assertEquals("invalid_origin", tooMany.json().get("error").asText());

      // An origin that never went through the settings checks (a hand-edited or imported realm
      // attribute) is left out of both documents, not answered with an error.
      realm
          .admin()
          .ok(
              realm
                  .admin()
                  .put(
                      "/realms/" + realm.name(),
                      Map.of(
                          "attributes",
                          Map.of(
                              "passkeys.origins",
                              "not an origin\nhttps://shop.example.net\n"
                                  + ANDROID_ORIGIN
                                  + "\nandroid:apk-key-hash:AAAAAAAAAAAAAAAAAAAAA"))));
      assertEquals(
          List.of("https://shop.example.net"),
          AdminClient.JSON.convertValue(relatedOriginsDocument().get("origins"), List.class));
      JsonNode links =
          realm.adminGet("/passkeys/v1/native-apps/assetlinks.json?package_name=com.example.bank");
      assertEquals(1, links.at("/0/target/sha256_cert_fingerprints").size(), links.toString());
      JsonNode settings = realm.adminGet("/passkeys/v1/settings");
      assertEquals(
          List.of(
              "https://shop.example.net",
              ANDROID_ORIGIN,
              "android:apk-key-hash:AAAAAAAAAAAAAAAAAAAAA"),
          AdminClient.JSON.convertValue(settings.get("origins"), List.class),
          "what is not an origin is ignored (the last has the shape of one, but is no hash:"
              + " assetlinks.json names no fingerprint for it)");
      // Saving the realm ran the settings through their checks again (the console listener), so
      // what is not an origin is gone from the attribute too; a realm that still holds one says so
      // in the settings' warnings (PasskeySettingsTest).
      assertFalse(
          realm
              .admin()
              .ok(realm.admin().get("/realms/" + realm.name()))
              .at("/attributes/passkeys.origins")
              .asText()
              .contains("not an origin"));
      HttpLogin stillWorks = new HttpLogin(realm.server().baseUrl());
      stillWorks.open(new Oidc(realm).authorizationUrl());
      assertTrue(stillWorks.last().isLoginPage(), "sign-in still works: " + stillWorks.last());
    } finally {
      realm.settings(Map.of("origins", List.of(ANDROID_ORIGIN)));
    }
  }

  /** The public /.well-known/webauthn document, as a browser would fetch it. */
  private static JsonNode relatedOriginsDocument() throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(realm.realmUrl() + "/passkeys/v1/webauthn"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return AdminClient.JSON.readTree(response.body());
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
