package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertEmailHasNoViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.MailSink;
import dev.kcpasskeys.it.support.PasskeyAccounts;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The security e-mail when a passkey is added or removed, on every path, received by a real SMTP
 * sink.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyChangeMailIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  static final Duration WAIT = Duration.ofSeconds(20);

  /**
   * How long "nothing arrived" is watched for. The mail goes out before the change's response, so
   * this is ample.
   */
  static final Duration QUIET = Duration.ofSeconds(2);

  static MailSink mail;
  static PasskeyAccounts accounts;

  @BeforeAll
  static void realmSendsMailToTheSinkAndNotifies() {
    mail = MailSink.start();
    realm.useMailServer(mail.realmSmtpServer());
    realm.settings(Map.of("notify_email", true));
    accounts = new PasskeyAccounts(realm);
  }

  @AfterAll
  static void stopSink() {
    mail.close();
  }

  @Test
  void theSettingIsOffByDefaultAndReadAndWrittenThroughTheSettingsApi() {
    AdminClient admin = realm.admin();
    assertTrue(
        admin
            .ok(admin.get("/realms/" + realm.name() + "/passkeys/v1/settings"))
            .get("notify_email")
            .asBoolean());
    assertEquals(
        "true",
        admin
            .ok(admin.get("/realms/" + realm.name()))
            .at("/attributes/passkeys.notify.email")
            .asText());
    AdminClient.Response typo =
        admin.put("/realms/" + realm.name() + "/passkeys/v1/settings", Map.of("notify_mail", true));
    assertEquals(400, typo.status(), typo.body());
    String fresh = "it-mail-defaults-" + System.nanoTime();
    admin.ok(admin.post("/realms", Map.of("realm", fresh, "enabled", true)));
    try {
      assertFalse(
          admin
              .ok(admin.get("/realms/" + fresh + "/passkeys/v1/settings"))
              .get("notify_email")
              .asBoolean());
    } finally {
      admin.delete("/realms/" + fresh);
    }
  }

  @Test
  void registeringDuringSignInMailsTheUserInTheirLanguage() {
    String userId =
        realm.createUser("dora", PasskeyAccounts.password("dora"), PasskeyAccounts.REGISTER_ACTION);
    speaks(userId, "de");
    HttpLogin login = accounts.loginPage();
    login.passwordSignIn("dora", PasskeyAccounts.password("dora"));
    HttpLogin.Result done =
        login.register(
            "Doras Laptop",
            new SoftAuthenticator(accounts.origin()).register(login.last().options()));
    assertNotNull(done.code(), done.toString());

    MailSink.Message message = mail.awaitMessageTo("dora@example.test", WAIT);
    assertEquals("Ein Passkey wurde Ihrem Konto bei Passkeys demo hinzugefügt", message.subject());
    String text = message.text();
    assertTrue(text.contains("Ihrem Konto bei Passkeys demo wurde ein Passkey hinzugefügt."), text);
    assertTrue(text.contains("Passkey: Doras Laptop"), text);
    assertTrue(text.contains("Zeitpunkt: ") && text.contains(" UTC"), text);
    assertTrue(
        text.contains(realm.realmUrl() + "/passkeys/"), "a link to the passkeys page: " + text);
    String html = message.html();
    assertTrue(html.contains("<html lang=\"de\""), html);
    assertTrue(html.contains("href=\"" + realm.realmUrl() + "/passkeys/\""), html);
    assertEquals(1, mail.messagesTo("dora@example.test").size(), "one e-mail per change");
  }

  /** Arabic: the e-mail is right to left, in Arabic, and has no WCAG violations. */
  @Test
  void theEmailIsRightToLeftInArabicAndAccessible() {
    String userId =
        realm.createUser("rami", PasskeyAccounts.password("rami"), PasskeyAccounts.REGISTER_ACTION);
    speaks(userId, "ar");
    HttpLogin login = accounts.loginPage();
    login.passwordSignIn("rami", PasskeyAccounts.password("rami"));
    assertNotNull(
        login
            .register(
                "مفتاح رامي",
                new SoftAuthenticator(accounts.origin()).register(login.last().options()))
            .code());
    MailSink.Message message = mail.awaitMessageTo("rami@example.test", WAIT);
    java.util.Properties arabic = LanguagesIT.bundle("ar");
    assertEquals(
        java.text.MessageFormat.format(
            arabic.getProperty("passkeyMailAddedSubject").replace("'", "''"), "Passkeys demo"),
        message.subject());
    String html = message.html();
    assertTrue(html.contains("<html lang=\"ar\" dir=\"rtl\""), html);
    assertTrue(html.contains("مفتاح رامي"), html);
    assertEmailHasNoViolations(browserExtension.browser(), "security e-mail (ar)", html);
  }

  @Test
  void registeringAndDeletingOverTheAppApiMailTheUser() {
    realm.createUser("emil", "emil-password");
    ApiClient emil =
        new ApiClient(
            realm, ApiClient.userToken(realm, "emil", "emil-password", "openid passkeys"));
    SoftAuthenticator emilKey = new SoftAuthenticator(accounts.origin());
    JsonNode passkey = emil.register(emilKey, "Emil's phone");
    emil = new ApiClient(realm, ApiClient.passkeyToken(realm, emilKey, "openid passkeys"));
    MailSink.Message added = mail.awaitMessageTo("emil@example.test", WAIT);
    assertEquals("A passkey was added to your Passkeys demo account", added.subject());
    assertTrue(added.text().contains("Passkey: Emil's phone"), added.text());
    assertTrue(
        added.html().contains("Emil&#39;s phone")
            || added.html().contains("Emil&apos;s phone")
            || added.html().contains("Emil's phone"),
        added.html());

    assertEquals(204, emil.delete("/" + passkey.get("id").asText()).status());
    MailSink.Message removed = mail.awaitMessageTo("emil@example.test", 2, WAIT);
    assertEquals("A passkey was removed from your Passkeys demo account", removed.subject());
    assertTrue(
        removed
            .text()
            .contains(
                "A passkey was removed from your Passkeys demo account. It can no longer be used"),
        removed.text());
    assertTrue(removed.text().contains("Passkey: Emil's phone"), removed.text());
  }

  @Test
  void anAdminDeletingAPasskeyMailsTheUser() {
    String userId = realm.createUser("fritz", "fritz-password");
    ApiClient fritz =
        new ApiClient(
            realm, ApiClient.userToken(realm, "fritz", "fritz-password", "openid passkeys"));
    JsonNode passkey = fritz.register(new SoftAuthenticator(accounts.origin()), "Fritz's key");
    mail.awaitMessageTo("fritz@example.test", WAIT);

    AdminClient admin = realm.admin();
    admin.ok(
        admin.delete(
            "/realms/"
                + realm.name()
                + "/passkeys/v1/users/"
                + userId
                + "/passkeys/"
                + passkey.get("id").asText()));
    MailSink.Message removed = mail.awaitMessageTo("fritz@example.test", 2, WAIT);
    assertEquals("A passkey was removed from your Passkeys demo account", removed.subject());
    assertTrue(removed.text().contains("Fritz's key"), removed.text());
  }

  /**
   * Keycloak's own admin console deletes through its credentials resource: the user is told all the
   * same.
   */
  @Test
  void deletingAPasskeyInKeycloaksAdminConsoleMailsTheUser() {
    String userId = realm.createUser("gunda", "gunda-password");
    ApiClient gunda =
        new ApiClient(
            realm, ApiClient.userToken(realm, "gunda", "gunda-password", "openid passkeys"));
    JsonNode passkey = gunda.register(new SoftAuthenticator(accounts.origin()), "Gunda's key");
    mail.awaitMessageTo("gunda@example.test", WAIT);

    AdminClient admin = realm.admin();
    admin.ok(
        admin.delete(
            "/realms/"
                + realm.name()
                + "/users/"
                + userId
                + "/credentials/"
                + passkey.get("id").asText()));
    MailSink.Message removed = mail.awaitMessageTo("gunda@example.test", 2, WAIT);
    assertEquals("A passkey was removed from your Passkeys demo account", removed.subject());
  }

  @Test
  void withTheSettingOffNothingIsSent() {
    realm.createUser("greta", "greta-password");
    ApiClient greta =
        new ApiClient(
            realm, ApiClient.userToken(realm, "greta", "greta-password", "openid passkeys"));
    realm.settings(Map.of("notify_email", false));
    try {
      SoftAuthenticator gretaKey = new SoftAuthenticator(accounts.origin());
      JsonNode passkey = greta.register(gretaKey, "Greta's laptop");
      greta = new ApiClient(realm, ApiClient.passkeyToken(realm, gretaKey, "openid passkeys"));
      assertEquals(204, greta.delete("/" + passkey.get("id").asText()).status());
      assertEquals(List.of(), mail.messagesToAfter("greta@example.test", QUIET));
    } finally {
      realm.settings(Map.of("notify_email", true));
    }
  }

  @Test
  void usersWithoutAVerifiedAddressGetNothingAndTheChangeStillWorks() {
    String noAddressId = realm.createUser("hugo", "hugo-password");
    ApiClient hugo =
        new ApiClient(
            realm, ApiClient.userToken(realm, "hugo", "hugo-password", "openid passkeys"));
    realm.editUser(noAddressId, rep -> rep.put("email", ""));
    JsonNode passkey = hugo.register(new SoftAuthenticator(accounts.origin()), "Hugo's laptop");
    // Removed by an admin (Hugo, without an address, cannot finish a browser sign-in to do it).
    realm.deleteCredential(noAddressId, passkey.get("id").asText());
    assertTrue(realm.passkeys(noAddressId).isEmpty());

    String unverifiedId = realm.createUser("ines", "ines-password");
    realm.editUser(unverifiedId, rep -> rep.put("emailVerified", false));
    ApiClient ines =
        new ApiClient(
            realm, ApiClient.userToken(realm, "ines", "ines-password", "openid passkeys"));
    ines.register(new SoftAuthenticator(accounts.origin()), "Ines's laptop");

    assertEquals(List.of(), mail.messagesToAfter("hugo@example.test", QUIET));
    assertEquals(List.of(), mail.messagesTo("ines@example.test"));
  }

  @Test
  void thePasskeyNameIsInertInTheHtmlMailAndCannotAddHeaders() {
    String userId = realm.createUser("jack", "jack-password");
    ApiClient jack =
        new ApiClient(
            realm, ApiClient.userToken(realm, "jack", "jack-password", "openid passkeys"));
    SoftAuthenticator jackKey = new SoftAuthenticator(accounts.origin());
    JsonNode passkey = jack.register(jackKey, "<img src=x onerror=alert(1)>");
    jack = new ApiClient(realm, ApiClient.passkeyToken(realm, jackKey, "openid passkeys"));
    MailSink.Message added = mail.awaitMessageTo("jack@example.test", WAIT);
    assertTrue(added.html().contains("&lt;img src=x onerror=alert(1)&gt;"), added.html());
    assertFalse(added.html().contains("<img"), added.html());
    assertTrue(
        added.text().contains("Passkey: <img src=x onerror=alert(1)>"),
        "plain text shows it as typed");

    // Keycloak's own admin API sets labels without our checks: line breaks must not become headers.
    String label = "Evil\r\nBcc: attacker@example.test\r\nSubject: Pwned";
    AdminClient.Response labelled =
        realm
            .admin()
            .putText(
                "/realms/"
                    + realm.name()
                    + "/users/"
                    + userId
                    + "/credentials/"
                    + passkey.get("id").asText()
                    + "/userLabel",
                label);
    assertEquals(204, labelled.status(), labelled.body());
    assertEquals(204, jack.delete("/" + passkey.get("id").asText()).status());
    MailSink.Message removed = mail.awaitMessageTo("jack@example.test", 2, WAIT);
    assertEquals(List.of("jack@example.test"), removed.recipients());
    assertEquals("A passkey was removed from your Passkeys demo account", removed.subject());
    assertTrue(removed.rawHeader("Bcc").isEmpty(), removed.raw());
    assertTrue(mail.messagesTo("attacker@example.test").isEmpty());
  }

  @Test
  void aFailingOrUnreachableMailServerNeverFailsTheChange() throws Exception {
    realm.createUser("kim", "kim-password");
    ApiClient kim =
        new ApiClient(realm, ApiClient.userToken(realm, "kim", "kim-password", "openid passkeys"));
    long mark = realm.server().logSize();
    mail.rejectMail(true);
    try {
      SoftAuthenticator kimKey = new SoftAuthenticator(accounts.origin());
      JsonNode refusedServer = kim.register(kimKey, "Kim's laptop");
      kim = new ApiClient(realm, ApiClient.passkeyToken(realm, kimKey, "openid passkeys"));
      assertEquals(204, kim.delete("/" + refusedServer.get("id").asText()).status());
    } finally {
      mail.rejectMail(false);
    }
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    Map<String, String> unreachable = new java.util.HashMap<>(mail.realmSmtpServer());
    unreachable.put("port", Integer.toString(closedPort));
    realm.useMailServer(unreachable);
    try {
      JsonNode noServer = kim.register(new SoftAuthenticator(accounts.origin()), "Kim's phone");
      assertEquals("Kim's phone", noServer.get("name").asText());
      assertEquals(
          1, passkeyCount(kim), "the first was deleted, the second kept: " + kim.get("").body());
    } finally {
      realm.useMailServer(mail.realmSmtpServer());
    }
    assertEquals(List.of(), mail.messagesTo("kim@example.test"));
    String log = realm.server().logSince(mark);
    assertTrue(log.contains("Could not send the passkey added e-mail"), log);
    assertTrue(log.contains("Could not send the passkey removed e-mail"), log);
  }

  private static int passkeyCount(ApiClient client) {
    return client.get("").json().get("passkeys").size();
  }

  /** Sets the user's language the way the account console does: the {@code locale} attribute. */
  static void speaks(String userId, String language) {
    realm.editUser(
        userId, rep -> ((ObjectNode) rep.with("attributes")).putArray("locale").add(language));
  }
}
