package dev.kcpasskeys.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.ceremony.StoredPasskey;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.credential.dto.WebAuthnCredentialData;
import org.keycloak.storage.ReadOnlyException;

/**
 * The stored format, one of {@link PasskeyStore}'s jobs on its own: a passkey as Keycloak's {@code
 * webauthn-passwordless} credential plus the attributes the extension keeps beside it (metadata,
 * last use, the uniqueness index). Only the credential package reads or writes it.
 */
final class StoredFormat {

  /** Per passkey: {@code passkeys.meta.<credential model id>}, the {@link PasskeyMetadata} JSON. */
  static final String META_PREFIX = "passkeys.meta.";

  /**
   * Per passkey: {@code passkeys.used.<credential model id>}, its last use (epoch milliseconds).
   */
  static final String LAST_USE_PREFIX = "passkeys.used.";

  /** Per user: the uniqueness index, SHA-256 of each credential ID ({@link #indexValue}). */
  static final String CREDENTIAL_INDEX = "passkeys.credential-id";

  private static final Logger LOG = Logger.getLogger(StoredFormat.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredFormat() {}

  static Optional<Passkey> toPasskey(UserModel user, CredentialModel model) {
    try {
      WebAuthnCredentialData data =
          WebAuthnCredentialModel.createFromCredentialModel(model).getWebAuthnCredentialData();
      byte[] credentialId = Base64.getMimeDecoder().decode(data.getCredentialId());
      byte[] cose = decodeBase64Url(data.getCredentialPublicKey());
      PasskeyMetadata metadata = readMetadata(user, model.getId());
      StoredPasskey stored =
          new StoredPasskey(
              credentialId,
              PasskeyStore.userHandle(user),
              cose,
              data.getCounter(),
              data.getTransports() == null ? Set.of() : data.getTransports(),
              parseAaguid(data.getAaguid()),
              metadata.backupEligibleFlag(),
              metadata.backupState(),
              metadata.uvInitialized());
      long created = model.getCreatedDate() == null ? 0 : model.getCreatedDate();
      return Optional.of(
          new Passkey(
              model.getId(),
              model.getType(),
              model.getUserLabel() == null ? "" : model.getUserLabel(),
              created,
              stored,
              metadata));
    } catch (RuntimeException unreadable) {
      LOG.warnf(
          "Skipping unreadable WebAuthn credential %s of user %s: %s",
          model.getId(), user.getId(), unreadable.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /**
   * Our metadata with the latest last use, whether a sign-in wrote it to the metadata or on its
   * own.
   */
  static PasskeyMetadata readMetadata(UserModel user, String credentialModelId) {
    return parseMetadata(user.getFirstAttribute(META_PREFIX + credentialModelId))
        .usedNoEarlierThan(
            parseMillis(user.getFirstAttribute(LAST_USE_PREFIX + credentialModelId)));
  }

  static PasskeyMetadata parseMetadata(String json) {
    if (json == null) {
      return PasskeyMetadata.unknown();
    }
    try {
      return JSON.readValue(json, PasskeyMetadata.class);
    } catch (IOException garbled) {
      return PasskeyMetadata.unknown();
    }
  }

  static long parseMillis(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException garbled) {
      return 0;
    }
  }

  static void writeMetadata(UserModel user, String credentialModelId, PasskeyMetadata metadata) {
    String json;
    try {
      json = JSON.writeValueAsString(metadata);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    bookkeeping(user, () -> user.setSingleAttribute(META_PREFIX + credentialModelId, json));
  }

  /**
   * Writes what the extension keeps beside a credential (metadata, last use, the uniqueness index)
   * as user attributes. Some users keep none: a read-only LDAP federation refuses every attribute,
   * one without import refuses those it does not map. Their passkeys still work, as passkeys
   * Keycloak registered do: metadata "unknown", and their credential IDs are not in the index (the
   * registration's cluster-wide claim still keeps two saves of one ID apart).
   */
  static void bookkeeping(UserModel user, Runnable write) {
    try {
      write.run();
    } catch (ReadOnlyException refused) {
      LOG.debugf(
          "User %s keeps no attributes of the extension (%s)", user.getId(), refused.getMessage());
    }
  }

  /** Keycloak writes the key base64url; tolerate padding and standard alphabet in older rows. */
  static byte[] decodeBase64Url(String value) {
    String normalized = value.trim().replace('+', '-').replace('/', '_').replace("=", "");
    return Base64.getUrlDecoder().decode(normalized);
  }

  static Optional<UUID> parseAaguid(String value) {
    try {
      return value == null || value.isBlank()
          ? Optional.empty()
          : Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** SHA-256 of the credential ID, base64url: short enough for an indexed attribute value. */
  static String indexValue(byte[] credentialId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(credentialId);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
