package dev.kcpasskeys.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keycloak's own WebAuthn pages driven over HTTP, as its scripts drive them after {@code
 * navigator.credentials.create()/get()}: the registration page of its required actions ({@code
 * webauthn-register}, {@code webauthn-register-passwordless}) and its WebAuthn sign-in page. Tests
 * use them to give users credentials through Keycloak's own code, as a realm with history has.
 */
public final class BuiltInWebAuthnPages {

  private BuiltInWebAuthnPages() {}

  public static boolean isRegistrationPage(HttpLogin.Result page) {
    return page.html().contains("id=\"registerWebAuthn\"");
  }

  public static boolean isSignInPage(HttpLogin.Result page) {
    return page.formAction("webauth").isPresent();
  }

  /**
   * Creation options (for {@code SoftAuthenticator.register}) from what webauthn-register.ftl hands
   * its script.
   */
  public static String creationOptions(HttpLogin.Result page, String serverBaseUrl) {
    String html = page.html();
    return "{\"rp\":{\"id\":\""
        + rpId(html, serverBaseUrl)
        + "\"},\"user\":{\"id\":\""
        + jsValue(html, "userid")
        + "\"},\"challenge\":\""
        + jsValue(html, "challenge")
        + "\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}";
  }

  /**
   * Request options (for {@code SoftAuthenticator.authenticate}) from webauthn-authenticate.ftl.
   */
  public static String requestOptions(HttpLogin.Result page, String serverBaseUrl) {
    String html = page.html();
    return "{\"rpId\":\""
        + rpId(html, serverBaseUrl)
        + "\",\"challenge\":\""
        + jsValue(html, "challenge")
        + "\"}";
  }

  /** What webauthnRegister.js posts: the registration response and a label. */
  public static HttpLogin.Result register(
      HttpLogin login, String registrationResponseJson, String label) {
    JsonNode response = read(registrationResponseJson);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("clientDataJSON", response.at("/response/clientDataJSON").asText());
    fields.put("attestationObject", response.at("/response/attestationObject").asText());
    fields.put("publicKeyCredentialId", response.path("rawId").asText());
    fields.put("authenticatorLabel", label);
    fields.put("transports", "usb");
    fields.put("authenticatorAttachment", "cross-platform");
    fields.put("error", "");
    return login.post(login.last().formAction("register").orElseThrow(), fields);
  }

  /** What webauthnAuthenticate.js posts: the assertion. */
  public static HttpLogin.Result signIn(HttpLogin login, String assertionResponseJson) {
    JsonNode response = read(assertionResponseJson);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("clientDataJSON", response.at("/response/clientDataJSON").asText());
    fields.put("authenticatorData", response.at("/response/authenticatorData").asText());
    fields.put("signature", response.at("/response/signature").asText());
    fields.put("credentialId", response.path("id").asText());
    fields.put("userHandle", response.at("/response/userHandle").asText(""));
    fields.put("error", "");
    return login.post(login.last().formAction("webauth").orElseThrow(), fields);
  }

  private static String rpId(String html, String serverBaseUrl) {
    String rpId = jsValue(html, "rpId");
    return rpId.isEmpty() ? URI.create(serverBaseUrl).getHost() : rpId;
  }

  private static String jsValue(String html, String name) {
    Matcher m = Pattern.compile("\\b" + name + "\\s*:\\s*\"([^\"]*)\"").matcher(html);
    if (!m.find()) {
      throw new AssertionError("no " + name + " on Keycloak's WebAuthn page");
    }
    return m.group(1);
  }

  private static JsonNode read(String json) {
    try {
      return AdminClient.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
