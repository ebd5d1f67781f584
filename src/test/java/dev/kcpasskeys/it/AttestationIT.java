package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.AttestationPki;
import dev.kcpasskeys.testing.MetadataBlobs;
import dev.kcpasskeys.testing.MetadataBlobs.Model;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attestation and authenticator metadata (issue 18): a realm asks for {@code direct} attestation
 * and trusts a FIDO metadata BLOB that the test signs under a root of its own, as production trusts
 * the FIDO Alliance's. The BLOB lies in Keycloak's conf directory, where an admin of a server
 * without internet access puts the one they download.
 */
@ExtendWith(KeycloakExtension.class)
class AttestationIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  private static final UUID CERTIFIED = UUID.randomUUID();
  private static final UUID REVOKED = UUID.randomUUID();
  private static final AttestationPki.Issued VENDOR_ROOT = AttestationPki.root("Vendor Root");
  private static final AttestationPki.Issued METADATA_ROOT = AttestationPki.root("MDS Root");
  private static final Tweaks DEVICE_BOUND = Tweaks.none().backupEligible(false).backedUp(false);

  private final PasskeyAccounts accounts = new PasskeyAccounts(realm);
  private final Oidc oidc = new Oidc(realm);

  private static Path good;
  private static Path tampered;

  @BeforeAll
  static void blobs() throws Exception {
    Path conf = Path.of(System.getProperty("keycloak.home"), "conf");
    String blob =
        MetadataBlobs.signed(
            AttestationPki.blobSigner(METADATA_ROOT),
            LocalDate.now().plusDays(30),
            List.of(
                new Model(CERTIFIED, VENDOR_ROOT.certificate(), "FIDO_CERTIFIED_L2"),
                new Model(REVOKED, VENDOR_ROOT.certificate(), "ATTESTATION_KEY_COMPROMISE")));
    good = Files.writeString(conf.resolve("mds-" + realm.name() + ".jwt"), blob);
    tampered =
        Files.writeString(
            conf.resolve("mds-" + realm.name() + "-tampered.jwt"),
            MetadataBlobs.tampered(
                blob, new Model(UUID.randomUUID(), VENDOR_ROOT.certificate(), "FIDO_CERTIFIED")));
  }

  @AfterAll
  static void removeBlobs() throws Exception {
    Files.deleteIfExists(good);
    Files.deleteIfExists(tampered);
  }

  @AfterEach
  void attestationOff() {
    realm.settings(Map.of("attestation", "none", "allowed_aaguids", List.of()));
  }

  private static Map<String, Object> direct(Path blob) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("attestation", "direct");
    fields.put("metadata_source", blob.getFileName().toString());
    fields.put("metadata_root_certificate", METADATA_ROOT.pem());
    return fields;
  }

  private static Tweaks attested(UUID model) {
    return Tweaks.none().aaguid(model).attestedBy(AttestationPki.attestation(VENDOR_ROOT, model));
  }

  @Test
  void aTamperedBlobOrABadSourceIsRefusedAtSaveAndChangesNothing() {
    AdminClient admin = realm.admin();
    JsonNode before = admin.ok(admin.get(settingsPath()));
    Map<String, Object> badRoot = direct(good);
    badRoot.put("metadata_root_certificate", AttestationPki.root("Impostor").pem());
    for (Object[] refused :
        new Object[][] {
          {direct(tampered), "signature is invalid"},
          {badRoot, "chain"},
          {
            Map.of("attestation", "direct", "metadata_source", "no-such-file.jwt"), "cannot be read"
          },
          {Map.of("attestation", "direct", "metadata_source", "/etc/passwd"), "conf directory"},
          {Map.of("attestation", "indirect"), "attestation must be"},
          {Map.of("metadata_root_certificate", "not a certificate"), "PEM"}
        }) {
      AdminClient.Response response = admin.put(settingsPath(), refused[0]);
      assertEquals(400, response.status(), response.body());
      String error = response.json().get("error").asText();
      assertTrue(
          error.equals("invalid_metadata") || error.equals("invalid_attestation"), response.body());
      assertTrue(
          response.json().get("error_description").asText().contains((String) refused[1]),
          response.body());
      assertEquals(before, admin.ok(admin.get(settingsPath())), "nothing changed");
    }
  }

  @Test
  void aModelTheMetadataVouchesForIsVerifiedAndShownAsSuch() {
    JsonNode saved = realm.settings(direct(good));
    assertEquals("direct", saved.get("attestation").asText());
    assertEquals(good.getFileName().toString(), saved.get("metadata_source").asText());

    realm.createUser("vera", PasskeyAccounts.password("vera"));
    ApiClient api = apiFor("vera");
    AdminClient.Response started = api.post("", "{}");
    assertEquals("direct", started.json().at("/publicKey/attestation").asText());

    SoftAuthenticator key = new SoftAuthenticator(accounts.origin());
    JsonNode verified = api.register(key, "Key", attested(CERTIFIED));
    assertTrue(verified.get("model_verified").asBoolean(), verified.toString());
    // Adding a second passkey needs a passkey sign-in now (strong enough to change passkeys).
    api = new ApiClient(realm, ApiClient.passkeyToken(realm, key, "openid passkeys"));
    JsonNode claimed =
        api.register(
            new SoftAuthenticator(accounts.origin()), "Claimed", Tweaks.none().aaguid(CERTIFIED));
    assertFalse(claimed.get("model_verified").asBoolean(), "none attestation proves nothing");
    JsonNode listed = realm.admin().ok(api.get(""));
    assertEquals(2, listed.get("passkeys").size());
    for (JsonNode passkey : listed.get("passkeys")) {
      assertEquals(
          passkey.get("name").asText().equals("Key"),
          passkey.get("model_verified").asBoolean(),
          passkey.toString());
    }

    // The passkeys page marks the verified one.
    HttpLogin page = new HttpLogin(accounts.origin());
    page.open(realm.realmUrl() + "/passkeys/");
    HttpLogin.Result shown = page.passkeySignIn(key.authenticate(page.last().options()), "button");
    String html = shown.html();
    assertTrue(html.contains("kcp-passkey-name"), "the passkeys page: " + shown);
    assertEquals(
        1, html.split("kcp-model-verified", -1).length - 1, "one passkey is marked: " + html);
    assertTrue(html.contains(LanguagesIT.bundle("en").getProperty("passkeysVerifiedModel")));
  }

  @Test
  void aCompromisedModelIsRefusedAtRegistration() {
    realm.settings(direct(good));
    realm.createUser("rex", PasskeyAccounts.password("rex"));
    ApiClient api = apiFor("rex");
    for (Tweaks tweaks : List.of(attested(REVOKED), Tweaks.none().aaguid(REVOKED))) {
      AdminClient.Response started = api.post("", "{}");
      String credential =
          new SoftAuthenticator(accounts.origin())
              .register(started.json().get("publicKey").toString(), tweaks);
      AdminClient.Response finished =
          api.post(
              "/" + started.json().get("id").asText() + "/attempt_verification",
              "{\"credential\":" + credential + "}");
      assertEquals(400, finished.status(), finished.body());
      assertEquals("invalid_credential", finished.json().get("error").asText());
      assertTrue(finished.body().contains("model_refused"), finished.body());
    }
    assertEquals(0, realm.passkeys(realm.userId("rex")).size(), "nothing saved");
    JsonNode event = realm.events("UPDATE_CREDENTIAL_ERROR", realm.userId("rex")).get(0);
    assertEquals("MODEL_REFUSED", event.at("/details/reason").asText(), event.toString());
  }

  @Test
  void theAllowListTrustsOnlyAnAaguidAnAttestationProved() {
    JsonNode warned = realm.settings(Map.of("allowed_aaguids", List.of(CERTIFIED.toString())));
    assertTrue(
        warned.get("warnings").toString().contains("Set attestation to direct"),
        "an allow-list without attestation trusts what authenticators claim: " + warned);
    JsonNode saved = realm.settings(direct(good));
    assertFalse(saved.get("warnings").toString().contains("Set attestation to direct"));

    realm.createUser("alma", PasskeyAccounts.password("alma"));
    ApiClient api = apiFor("alma");
    AdminClient.Response started = api.post("", "{}");
    String claimed =
        new SoftAuthenticator(accounts.origin())
            .register(started.json().get("publicKey").toString(), Tweaks.none().aaguid(CERTIFIED));
    AdminClient.Response refused =
        api.post(
            "/" + started.json().get("id").asText() + "/attempt_verification",
            "{\"credential\":" + claimed + "}");
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.body().contains("aaguid_not_allowed"), refused.body());
    assertTrue(
        api.register(new SoftAuthenticator(accounts.origin()), "Proven", attested(CERTIFIED))
            .get("model_verified")
            .asBoolean());
  }

  @Test
  void phrhNeedsADeviceBoundPasskeyOfAVerifiedModelWhereAttestationIsOn() {
    realm.settings(direct(good));
    PasskeyAccounts.Account hana = deviceBound("hana", attested(CERTIFIED));
    PasskeyAccounts.Account uma = deviceBound("uma", Tweaks.none().aaguid(CERTIFIED));

    HttpLogin login = new HttpLogin(accounts.origin());
    login.open(oidc.authorizationUrl(Map.of("acr_values", "phrh")));
    HttpLogin.Result done =
        login.passkeySignIn(
            hana.authenticator().authenticate(login.last().options(), DEVICE_BOUND), "button");
    assertNotNull(done.code(), done.toString());
    assertEquals(
        "phrh",
        Oidc.claims(oidc.exchange(done.code()).get("id_token").asText()).get("acr").asText());

    HttpLogin other = new HttpLogin(accounts.origin());
    other.open(oidc.authorizationUrl(Map.of("acr_values", "phrh", "state", "u-1")));
    HttpLogin.Result refused =
        other.passkeySignIn(
            uma.authenticator().authenticate(other.last().options(), DEVICE_BOUND), "button");
    assertNull(refused.code(), "an unproven model does not reach phrh: " + refused);
    assertEquals("unmet_authentication_requirements", Oidc.paramOf(refused.location(), "error"));
  }

  /**
   * The metadata is read again at sign-in: a model revoked after its passkey registered no longer
   * reaches {@code phrh}, while the passkey still signs its user in.
   */
  @Test
  void aModelRevokedSinceRegistrationNoLongerReachesPhrh() throws Exception {
    realm.settings(direct(good));
    PasskeyAccounts.Account ros = deviceBound("ros", attested(CERTIFIED));
    Path later =
        Files.writeString(
            good.resolveSibling("mds-" + realm.name() + "-later.jwt"),
            MetadataBlobs.signed(
                AttestationPki.blobSigner(METADATA_ROOT),
                LocalDate.now().plusDays(30),
                List.of(new Model(CERTIFIED, VENDOR_ROOT.certificate(), "REVOKED"))));
    try {
      realm.settings(direct(later));
      HttpLogin login = new HttpLogin(accounts.origin());
      login.open(oidc.authorizationUrl(Map.of("acr_values", "phrh")));
      HttpLogin.Result refused =
          login.passkeySignIn(
              ros.authenticator().authenticate(login.last().options(), DEVICE_BOUND), "button");
      assertNull(refused.code(), "a revoked model does not reach phrh: " + refused);
      assertEquals("unmet_authentication_requirements", Oidc.paramOf(refused.location(), "error"));

      HttpLogin plain = new HttpLogin(accounts.origin());
      plain.open(oidc.authorizationUrl(Map.of("state", "r-1")));
      HttpLogin.Result signedIn =
          plain.passkeySignIn(
              ros.authenticator().authenticate(plain.last().options(), DEVICE_BOUND), "button");
      assertNotNull(signedIn.code(), "the passkey still signs ros in: " + signedIn);
      assertEquals(
          "phr",
          Oidc.claims(oidc.exchange(signedIn.code()).get("id_token").asText()).get("acr").asText());
    } finally {
      Files.deleteIfExists(later);
    }
  }

  /** A user whose only passkey is device-bound, registered during a password sign-in. */
  private PasskeyAccounts.Account deviceBound(String username, Tweaks attestation) {
    HttpLogin login = accounts.registrationPage(username);
    SoftAuthenticator key = new SoftAuthenticator(accounts.origin());
    HttpLogin.Result done =
        login.register(
            username + "'s key",
            key.register(
                login.last().options(), attestation.backupEligible(false).backedUp(false)));
    assertNotNull(done.code(), done.toString());
    return new PasskeyAccounts.Account(
        username, PasskeyAccounts.password(username), realm.userId(username), key);
  }

  private ApiClient apiFor(String username) {
    return new ApiClient(
        realm,
        ApiClient.userToken(
            realm, username, PasskeyAccounts.password(username), "openid passkeys"));
  }

  private static String settingsPath() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }
}
