package dev.kcpasskeys.ceremony;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Options for {@code navigator.credentials.get()}: serialises to
 * PublicKeyCredentialRequestOptionsJSON (WebAuthn L3 §5.5), for {@code
 * PublicKeyCredential.parseRequestOptionsFromJSON()}.
 *
 * @param challenge the challenge (at least 16 random bytes)
 * @param timeoutMillis the timeout hint in milliseconds
 * @param rpId the RP ID
 * @param allowCredentials the identified user's passkeys; empty for a discoverable (username-less)
 *     ceremony
 * @param userVerification {@code required} or {@code preferred}
 * @param hints which kind of authenticator the client should offer first, in order (WebAuthn L3
 *     §5.5 {@code hints}); empty: the client decides
 */
public record RequestOptions(
    byte[] challenge,
    long timeoutMillis,
    String rpId,
    List<CredentialDescriptor> allowCredentials,
    String userVerification,
    List<String> hints) {

  public RequestOptions {
    challenge = Objects.requireNonNull(challenge, "challenge").clone();
    Objects.requireNonNull(rpId, "rpId");
    allowCredentials = List.copyOf(allowCredentials);
    Objects.requireNonNull(userVerification, "userVerification");
    hints = Hints.checked(hints);
  }

  @Override
  public byte[] challenge() {
    return challenge.clone();
  }

  /** The PublicKeyCredentialRequestOptionsJSON text. */
  public String toJson() {
    ObjectNode root = Json.object();
    root.put("challenge", Base64Url.encode(challenge));
    root.put("timeout", timeoutMillis);
    root.put("rpId", rpId);
    ArrayNode allow = root.putArray("allowCredentials");
    allowCredentials.forEach(descriptor -> allow.add(descriptor.toJsonNode()));
    root.put("userVerification", userVerification);
    Hints.write(root, hints);
    return Json.write(root);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RequestOptions that && toJson().equals(that.toJson());
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(rpId, allowCredentials) + Arrays.hashCode(challenge);
  }

  @Override
  public String toString() {
    return "RequestOptions" + toJson();
  }
}
