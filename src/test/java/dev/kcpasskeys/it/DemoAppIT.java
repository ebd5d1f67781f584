package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.pages.LoginPages;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.TestRealm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The demo app an app developer looks at: password sign-in shows the ID token's claims. */
@ExtendWith(KeycloakExtension.class)
class DemoAppIT {

  @RegisterExtension static final TestRealm realm = new TestRealm();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private static Process demoApp;
  private static int port;

  @BeforeAll
  static void startDemoApp() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    AdminClient admin = realm.admin();
    ObjectNode client =
        (ObjectNode)
            admin.ok(admin.get("/realms/" + realm.name() + "/clients?clientId=demo-app")).get(0);
    client.putArray("redirectUris").add("http://localhost:" + port + "/*");
    client.putArray("webOrigins").add("http://localhost:" + port);
    client.with("attributes").put("post.logout.redirect.uris", "http://localhost:" + port + "/*");
    admin.ok(
        admin.put("/realms/" + realm.name() + "/clients/" + client.get("id").asText(), client));

    // The app runs its own passkey ceremonies (first-party sign-in): its origin is the realm's too.
    realm.settings(java.util.Map.of("origins", java.util.List.of("http://localhost:" + port)));
    Path appDir = Path.of("docker/demo-app").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "DemoAppServer.java",
                ".")
            .directory(appDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(realm.server().logFile().resolveSibling("demo-app-it.log").toFile());
    builder.environment().put("DEMO_APP_PORT", Integer.toString(port));
    builder.environment().put("KEYCLOAK_URL", realm.server().baseUrl());
    builder.environment().put("DEMO_REALM", realm.name());
    demoApp = builder.start();
    awaitPort(port, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopDemoApp() {
    if (demoApp != null) {
      demoApp.destroy();
    }
  }

  /**
   * The demo user can use Keycloak's account console: imported users get no default roles unless
   * the realm JSON names them, and without them the console's token has no account audience (401).
   */
  @Test
  void theDemoUserHasTheRealmsDefaultRolesForTheAccountConsole() {
    AdminClient admin = realm.admin();
    String users = "/realms/" + realm.name() + "/users/" + realm.userId("demo");
    assertTrue(
        admin
            .ok(admin.get(users + "/role-mappings/realm"))
            .findValuesAsText("name")
            .contains("default-roles-" + realm.name()));
    String account =
        admin
            .ok(admin.get("/realms/" + realm.name() + "/clients?clientId=account"))
            .get(0)
            .get("id")
            .asText();
    assertTrue(
        admin
            .ok(admin.get(users + "/role-mappings/clients/" + account + "/composite"))
            .findValuesAsText("name")
            .contains("manage-account"),
        "the account console may read and change the demo user's account");
  }

  @Test
  void passwordSignInShowsTheIdTokenClaims() {
    String userId = realm.createUser("alice", "alice-password");
    Browser browser = browserExtension.browser();
    browser.open("http://localhost:" + port + "/");
    browser.find(By.id("sign-in")).click();
    browser.find(By.id("username")).sendKeys("alice");
    browser.find(By.id("password")).sendKeys("alice-password");
    browser.find(By.id("kc-login")).click();

    String sub =
        browser.await(
            d -> {
              String text = d.findElement(By.id("claim-sub")).getText();
              return text.isEmpty() ? null : text;
            });
    assertEquals(userId, sub);
    assertEquals("alice", browser.find(By.id("claim-username")).getText());
    assertTrue(
        browser.find(By.id("claim-amr")).getText().startsWith("["), "amr is shown as a JSON array");
    assertFalse(
        browser.find(By.id("add-passkey")).getAttribute("hidden") != null,
        "Add a passkey is offered");
  }

  /**
   * The passkey added through the app signs in again from the app's own page, without Keycloak's
   * login page (the demo client is a first-party app).
   */
  @Test
  void aPasskeySignsInFromTheAppsOwnPage() {
    realm.createUser("pam", "pam-password");
    Browser browser = browserExtension.browser();
    browser.addPlatformAuthenticator();
    browser.withoutPasskeyAutofill();
    browser.open("http://localhost:" + port + "/");
    browser.find(By.id("sign-in")).click();
    LoginPages login = new LoginPages(browser);
    login.signInWithPassword("pam", "pam-password");
    browser.await(d -> d.findElement(By.id("add-passkey")).isDisplayed() ? Boolean.TRUE : null);
    browser.find(By.id("add-passkey")).click();
    login.createPasskey("Pam's laptop");
    browser.await(d -> d.findElement(By.id("sign-out")).isDisplayed() ? Boolean.TRUE : null);
    browser.find(By.id("sign-out")).click();
    browser.await(d -> d.findElement(By.id("passkey-sign-in")).isDisplayed() ? Boolean.TRUE : null);

    browser.find(By.id("passkey-sign-in")).click();
    String status =
        browser.await(
            d -> {
              String text = d.findElement(By.id("status")).getText();
              return text.isEmpty() ? null : text;
            });
    assertEquals("Signed in with a passkey, without the login page.", status);
    assertEquals("pam", browser.find(By.id("claim-username")).getText());
    assertTrue(browser.find(By.id("claim-amr")).getText().contains("mfa"), "a passkey with UV");
    assertTrue(
        browser.driver().getCurrentUrl().startsWith("http://localhost:" + port),
        "never left the app");
  }

  private static void awaitPort(int port, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!demoApp.isAlive()) {
        throw new IllegalStateException("The demo app exited with " + demoApp.exitValue());
      }
      try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("The demo app did not listen on " + port);
  }
}
