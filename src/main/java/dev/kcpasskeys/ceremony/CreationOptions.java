package dev.kcpasskeys.ceremony;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Options for {@code navigator.credentials.create()}: serialises to
 * PublicKeyCredentialCreationOptionsJSON (WebAuthn L3 §5.4), which the browser turns back into
 * options with {@code PublicKeyCredential.parseCreationOptionsFromJSON()}.
 *
 * @param rpId the RP ID
 * @param rpName the RP name
 * @param user the account the passkey is for
 * @param challenge the challenge (at least 16 random bytes)
 * @param algorithms COSE algorithm ids in preference order
 * @param timeoutMillis the timeout hint in milliseconds
 * @param excludeCredentials the user's existing passkeys, so that an authenticator is not
 *     registered twice
 * @param userVerification {@code required} or {@code preferred}
 * @param hints which kind of authenticator the client should offer first, in order (WebAuthn L3
 *     §5.4 {@code hints}, values of §5.8.7); empty: the client decides
 * @param attestation the attestation conveyance preference (§5.4.7): none, direct or enterprise
 */
public record CreationOptions(
    String rpId,
    String rpName,
    UserIdentity user,
    byte[] challenge,
    List<Long> algorithms,
    long timeoutMillis,
    List<CredentialDescriptor> excludeCredentials,
    String userVerification,
    List<String> hints,
    String attestation) {

  public CreationOptions {
    Objects.requireNonNull(rpId, "rpId");
    Objects.requireNonNull(rpName, "rpName");
    Objects.requireNonNull(user, "user");
    challenge = Objects.requireNonNull(challenge, "challenge").clone();
    algorithms = List.copyOf(algorithms);
    excludeCredentials = List.copyOf(excludeCredentials);
    Objects.requireNonNull(userVerification, "userVerification");
    hints = Hints.checked(hints);
    Objects.requireNonNull(attestation, "attestation");
  }

  @Override
  public byte[] challenge() {
    return challenge.clone();
  }

  /** The PublicKeyCredentialCreationOptionsJSON text. */
  public String toJson() {
    ObjectNode root = Json.object();
    root.putObject("rp").put("id", rpId).put("name", rpName);
    root.putObject("user")
        .put("id", Base64Url.encode(user.userHandle()))
        .put("name", user.name())
        .put("displayName", user.displayName());
    root.put("challenge", Base64Url.encode(challenge));
    ArrayNode params = root.putArray("pubKeyCredParams");
    algorithms.forEach(alg -> params.addObject().put("type", "public-key").put("alg", alg));
    root.put("timeout", timeoutMillis);
    ArrayNode exclude = root.putArray("excludeCredentials");
    excludeCredentials.forEach(descriptor -> exclude.add(descriptor.toJsonNode()));
    root.putObject("authenticatorSelection")
        .put("residentKey", "required")
        .put("requireResidentKey", true)
        .put("userVerification", userVerification);
    Hints.write(root, hints);
    root.put("attestation", attestation);
    root.putObject("extensions").put("credProps", true);
    return Json.write(root);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CreationOptions that && toJson().equals(that.toJson());
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(rpId, user, algorithms, excludeCredentials)
        + Arrays.hashCode(challenge);
  }

  @Override
  public String toString() {
    return "CreationOptions" + toJson();
  }
}
