package dev.kcpasskeys.ceremony;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PublicKeyCredentialDescriptor (WebAuthn L3 §5.8.3): one entry of excludeCredentials /
 * allowCredentials.
 *
 * @param id the credential ID
 * @param transports transport hints; omitted from the JSON when empty
 */
public record CredentialDescriptor(byte[] id, Set<String> transports) {

  public CredentialDescriptor {
    id = Objects.requireNonNull(id, "id").clone();
    transports = Set.copyOf(Objects.requireNonNull(transports, "transports"));
  }

  public static CredentialDescriptor of(StoredPasskey passkey) {
    return new CredentialDescriptor(passkey.credentialId(), passkey.transports());
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  ObjectNode toJsonNode() {
    ObjectNode node = Json.object().put("type", "public-key").put("id", Base64Url.encode(id));
    if (!transports.isEmpty()) {
      new TreeSet<>(transports).forEach(node.putArray("transports")::add);
    }
    return node;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CredentialDescriptor that
        && Arrays.equals(id, that.id)
        && transports.equals(that.transports);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(id) + transports.hashCode();
  }

  @Override
  public String toString() {
    return "CredentialDescriptor[id=" + Base64Url.encode(id) + ", transports=" + transports + "]";
  }
}
