package dev.kcpasskeys.it;

import static dev.kcpasskeys.it.support.Accessibility.assertNoViolationsWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.Browser;
import dev.kcpasskeys.it.support.BrowserExtension;
import dev.kcpasskeys.it.support.KeycloakExtension;
import dev.kcpasskeys.it.support.KeycloakServer;
import dev.kcpasskeys.it.support.TestRealm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Passkeys from the admin console of a default Keycloak (no experimental feature): the settings are
 * the configuration of the "Register a passkey" required action, registering it prepares the
 * "passkeys browser" flow, and Keycloak's own "Bind flow" switches passkeys on. The same checks as
 * the REST API.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminConsoleIT {

  private static final String ACTION_NAME = "Register a passkey (Keycloak Passkeys)";

  @RegisterExtension static final TestRealm realm = TestRealm.withoutPasskeys();

  @RegisterExtension final BrowserExtension browserExtension = new BrowserExtension();

  private String settingsPath() {
    return "/realms/" + realm.name() + "/passkeys/v1/settings";
  }

  private String configPath() {
    return "/realms/" + realm.name() + "/authentication/required-actions/passkey-register/config";
  }

  @AfterEach
  void evidence(TestInfo test) {
    browserExtension
        .browser()
        .saveEvidence(
            Path.of("target/evidence/admin-console"),
            test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test"));
  }

  /**
   * The whole journey by clicks: register the action, see the flow, a refused value, enable, a
   * setting.
   */
  @Test
  @Order(1)
  void anAdminEnablesPasskeysAndChangesSettingsByClickingThroughTheDefaultAdminConsole() {
    AdminClient admin = realm.admin();
    assertFalse(admin.ok(admin.get(settingsPath())).get("enabled").asBoolean());
    Browser browser = browserExtension.browser();
    signInToTheAdminConsole(browser, "/authentication/required-actions");

    WebElement row = actionRow(browser);
    row.findElement(By.cssSelector("label.pf-v5-c-switch")).click();
    browser.await(
        d ->
            !actionRow(browser)
                .findElements(By.cssSelector("button[aria-label='Settings']"))
                .isEmpty());
    assertTrue(
        realm.flowId("passkeys browser").isPresent(), "registering the action prepared the flow");
    assertEquals(
        "browser",
        admin.ok(admin.get("/realms/" + realm.name())).get("browserFlow").asText(),
        "prepared, not bound");

    openSettings(browser);
    WebElement enabled =
        browser.find(By.cssSelector("#required-action-config-form [data-testid='enabled']"));
    assertFalse(enabled.isSelected(), "the form shows the settings in force");
    assertNoViolationsWithin(browser, "admin console, settings form", ".pf-v5-c-modal-box");
    clickSwitch(browser, "enabled");
    browser
        .find(By.cssSelector("#required-action-config-form [data-testid='rp_name']"))
        .sendKeys("Legacy Bank");
    WebElement origin =
        browser.find(
            By.cssSelector("#required-action-config-form input[name='config.origins.0.value']"));
    origin.sendKeys("http://accounts.example.com");
    browser.find(By.cssSelector("#required-action-config-form [data-testid='save']")).click();
    String refusal =
        browser.await(
            d ->
                d.findElements(By.cssSelector(".pf-v5-c-alert")).stream()
                    .map(WebElement::getText)
                    .filter(text -> text.contains("http://accounts.example.com"))
                    .findFirst()
                    .orElse(null));
    assertTrue(refusal.contains("https://host"), "the API's reason: " + refusal);
    JsonNode unchanged = admin.ok(admin.get(settingsPath()));
    assertFalse(unchanged.get("enabled").asBoolean(), "a refused form changes nothing");
    assertFalse(unchanged.hasNonNull("rp_name"), unchanged.toString());

    origin.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    origin.sendKeys("https://accounts.example.com");
    browser.find(By.cssSelector("#required-action-config-form [data-testid='save']")).click();
    browser.await(d -> d.findElements(By.id("required-action-config-form")).isEmpty());

    JsonNode saved = admin.ok(admin.get(settingsPath()));
    assertTrue(saved.get("enabled").asBoolean(), saved.toString());
    assertEquals("passkeys browser", saved.get("browser_flow").asText());
    assertEquals("Legacy Bank", saved.get("rp_name").asText());
    assertEquals(
        List.of("https://accounts.example.com"),
        AdminClient.JSON.convertValue(saved.get("origins"), List.class));

    openSettings(browser);
    WebElement reopened =
        browser.find(By.cssSelector("#required-action-config-form [data-testid='enabled']"));
    assertTrue(reopened.isSelected(), "the form shows what is in force");
    clickSwitch(browser, "enabled");
    browser.find(By.cssSelector("#required-action-config-form [data-testid='save']")).click();
    browser.await(d -> d.findElements(By.id("required-action-config-form")).isEmpty());
    JsonNode off = admin.ok(admin.get(settingsPath()));
    assertFalse(off.get("enabled").asBoolean(), off.toString());
    assertEquals("browser", off.get("browser_flow").asText(), "the previous browser flow is back");
    assertEquals(
        "Legacy Bank", off.get("rp_name").asText(), "switching off keeps the other settings");
  }

  /**
   * Keycloak's own "Bind flow" on the prepared flow switches passkeys on: required action, scopes
   * and all.
   */
  @Test
  @Order(2)
  void bindingThePreparedFlowWithKeycloaksBindFlowEnablesPasskeys() {
    AdminClient admin = realm.admin();
    assertFalse(admin.ok(admin.get(settingsPath())).get("enabled").asBoolean());
    Browser browser = browserExtension.browser();
    signInToTheAdminConsole(browser, "/authentication");
    WebElement row =
        browser.await(
            d ->
                d
                    .findElements(By.xpath("//tr[.//a[normalize-space()='passkeys browser']]"))
                    .stream()
                    .findFirst()
                    .orElse(null));
    row.findElement(By.cssSelector("button[aria-label='Kebab toggle']")).click();
    browser.find(By.xpath("//button[normalize-space()='Bind flow']")).click();
    browser.find(By.cssSelector("[data-testid='save']")).click();
    browser.await(
        d ->
            "passkeys browser"
                .equals(
                    admin.ok(admin.get("/realms/" + realm.name())).get("browserFlow").asText()));

    JsonNode on = admin.ok(admin.get(settingsPath()));
    assertTrue(on.get("enabled").asBoolean(), on.toString());
    assertTrue(
        admin
            .ok(
                admin.get(
                    "/realms/"
                        + realm.name()
                        + "/authentication/required-actions/passkey-register"))
            .get("enabled")
            .asBoolean(),
        "the required action is on");
    assertTrue(
        admin
            .ok(admin.get("/realms/" + realm.name() + "/default-default-client-scopes"))
            .findValuesAsText("name")
            .contains("passkeys-amr"),
        "apps get amr");
    assertEquals(
        "true",
        admin.ok(admin.get(configPath())).get("config").get("enabled").asText(),
        "the required action's form shows it");

    // Binding Keycloak's own flow again switches passkeys off and leaves that flow bound.
    admin.ok(admin.put("/realms/" + realm.name(), Map.of("browserFlow", "browser")));
    JsonNode off = admin.ok(admin.get(settingsPath()));
    assertFalse(off.get("enabled").asBoolean(), off.toString());
    assertEquals("browser", off.get("browser_flow").asText());
    assertFalse(
        admin
            .ok(admin.get("/realms/" + realm.name() + "/default-default-client-scopes"))
            .findValuesAsText("name")
            .contains("passkeys-amr"),
        "what enabling added is gone");
  }

  /** The form is validated as the API is: every refused value answers 400 with the API's reason. */
  @Test
  @Order(3)
  void theRequiredActionsFormIsValidatedAsTheApiIsAndARefusalChangesNothing() {
    AdminClient admin = realm.admin();
    JsonNode before = admin.ok(admin.get(settingsPath()));
    Map<String, List<String>> refused =
        Map.of(
            "rp_id", List.of("evil.example", "invalid_rp_id"),
            "origins",
                List.of("https://ok.example.com##HTTPS://SHOUT.EXAMPLE.COM", "invalid_origin"),
            "allowed_aaguids", List.of("not-a-uuid", "invalid_aaguid"),
            "nudge_snooze_days", List.of("0", "invalid_nudge"),
            "nudge_force_after_snoozes", List.of("many", "invalid_nudge"),
            "nudge_clients", List.of("no-such-client", "invalid_nudge"));
    refused.forEach(
        (field, valueAndCode) -> {
          AdminClient.Response response =
              admin.put(
                  configPath(),
                  Map.of("config", Map.of("enabled", "true", field, valueAndCode.get(0))));
          assertEquals(400, response.status(), field + ": " + response.body());
          assertEquals(
              valueAndCode.get(1), response.json().path("field").asText(), response.body());
          assertFalse(response.json().path("errorMessage").asText().isBlank(), response.body());
          assertEquals(before, admin.ok(admin.get(settingsPath())), field + ": nothing changed");
        });
    // A realm whose browser flow the passkey page cannot join is refused with the reason, in the
    // form too.
    admin.ok(admin.put("/realms/" + realm.name(), Map.of("browserFlow", "direct grant")));
    admin.ok(
        admin.delete(
            "/realms/"
                + realm.name()
                + "/authentication/flows/"
                + realm.flowId("passkeys browser").get()));
    AdminClient.Response flow =
        admin.put(configPath(), Map.of("config", Map.of("enabled", "true")));
    assertEquals(400, flow.status(), flow.body());
    assertTrue(flow.body().contains("Username Password Form"), flow.body());
    admin.ok(admin.put("/realms/" + realm.name(), Map.of("browserFlow", "browser")));
  }

  private void signInToTheAdminConsole(Browser browser, String page) {
    browser.open(realm.server().baseUrl() + "/admin/master/console/#/" + realm.name() + page);
    browser.find(By.id("username")).sendKeys(KeycloakServer.ADMIN_USER);
    browser.find(By.id("password")).sendKeys(KeycloakServer.ADMIN_PASSWORD);
    browser.find(By.id("kc-login")).click();
  }

  /**
   * The gear's form in the admin's language (a realm administrator who speaks German), and without
   * WCAG violations in light and dark.
   */
  @Test
  @Order(4)
  void theSettingsFormSpeaksTheAdminsLanguageAndHasNoWcagViolations() throws Exception {
    AdminClient admin = realm.admin();
    admin.ok(
        admin.put(
            "/realms/" + realm.name(),
            Map.of(
                "internationalizationEnabled",
                true,
                "supportedLocales",
                List.of("en", "de"),
                "defaultLocale",
                "en")));
    String userId = realm.createUser("greta", "greta-password");
    realm.editUser(
        userId,
        rep ->
            ((com.fasterxml.jackson.databind.node.ObjectNode) rep.with("attributes"))
                .putArray("locale")
                .add("de"));
    String realmManagement =
        admin
            .ok(admin.get("/realms/" + realm.name() + "/clients?clientId=realm-management"))
            .get(0)
            .get("id")
            .asText();
    JsonNode realmAdmin =
        admin.ok(
            admin.get(
                "/realms/" + realm.name() + "/clients/" + realmManagement + "/roles/realm-admin"));
    admin.ok(
        admin.post(
            "/realms/"
                + realm.name()
                + "/users/"
                + userId
                + "/role-mappings/clients/"
                + realmManagement,
            List.of(realmAdmin)));
    java.util.Properties german = LanguagesIT.bundle("de");

    Browser browser = browserExtension.browser();
    browser.open(
        realm.server().baseUrl()
            + "/admin/"
            + realm.name()
            + "/console/#/"
            + realm.name()
            + "/authentication/required-actions");
    browser.find(By.id("username")).sendKeys("greta");
    browser.find(By.id("password")).sendKeys("greta-password");
    browser.find(By.id("kc-login")).click();
    actionRow(browser).findElement(By.cssSelector("button[aria-label='Einstellungen']")).click();
    WebElement form = browser.find(By.id("required-action-config-form"));
    for (String key :
        List.of(
            "passkeysSettingEnabled", "passkeysSettingRpName", "passkeysSettingNudgeSnoozeDays")) {
      String label = german.getProperty(key);
      browser.await(d -> form.getText().contains(label) ? label : null);
    }
    assertFalse(
        form.getText().contains("passkeysSetting"), "no bare message key: " + form.getText());
    assertNoViolationsWithin(browser, "admin console, settings form (de)", ".pf-v5-c-modal-box");
  }

  private WebElement actionRow(Browser browser) {
    return browser.await(
        d ->
            d.findElements(By.xpath("//tr[td[normalize-space()='" + ACTION_NAME + "']]")).stream()
                .findFirst()
                .orElse(null));
  }

  private void openSettings(Browser browser) {
    actionRow(browser).findElement(By.cssSelector("button[aria-label='Settings']")).click();
    browser.await(
        d ->
            !d.findElements(By.cssSelector("#required-action-config-form [data-testid='enabled']"))
                .isEmpty());
  }

  private void clickSwitch(Browser browser, String field) {
    browser
        .find(
            By.xpath(
                "//form[@id='required-action-config-form']//input[@data-testid='"
                    + field
                    + "']/ancestor::label[1]"))
        .click();
  }
}
