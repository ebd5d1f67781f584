package dev.kcpasskeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (b) Keycloak's built-in passkeys in auth-username-password-form: reads the challenge and RP ID
 * from the page's script arguments and posts what webauthnAuthenticate.js posts to #webauth.
 */
final class BuiltInPasskeyWay extends Way {

  private static final Pattern CHALLENGE = Pattern.compile("challenge\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern RP_ID = Pattern.compile("rpId\\s*:\\s*\"([^\"]*)\"");

  private final SoftAuthenticator authenticator;
  private final KeyPool keys;
  private final int passkeys;

  BuiltInPasskeyWay(String realm, List<BenchUser> users, int passkeys, KeyPool keys, String origin) {
    super("b", "Keycloak built-in passkeys", realm, users);
    this.authenticator = new SoftAuthenticator(origin);
    this.keys = keys;
    this.passkeys = passkeys;
  }

  @Override
  HttpLogin.Result signIn(HttpLogin login, BenchUser user) {
    HttpLogin.Result page = login.last();
    String action = page.formAction("webauth").orElseThrow(() -> unexpected("no #webauth form", page));
    String challenge = find(CHALLENGE, page);
    String rpId = find(RP_ID, page);
    ObjectNode options = JsonNodeFactory.instance.objectNode().put("challenge", challenge).put("rpId", rpId)
        .put("userVerification", "required");
    options.putArray("allowCredentials");
    int which = ThreadLocalRandom.current().nextInt(passkeys);
    JsonNode credential = json(authenticator.authenticate(options.toString(),
        user.passkey(which, keys, rpId.isEmpty() ? "localhost" : rpId), Tweaks.none().signCount(0)));
    JsonNode response = credential.path("response");
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("clientDataJSON", response.path("clientDataJSON").asText());
    fields.put("authenticatorData", response.path("authenticatorData").asText());
    fields.put("signature", response.path("signature").asText());
    fields.put("credentialId", credential.path("id").asText());
    fields.put("userHandle", response.path("userHandle").asText());
    fields.put("error", "");
    return login.post(action, fields);
  }

  private static String find(Pattern pattern, HttpLogin.Result page) {
    Matcher m = pattern.matcher(page.html());
    if (!m.find()) {
      throw unexpected("no " + pattern.pattern() + " on the login page", page);
    }
    return m.group(1);
  }
}
