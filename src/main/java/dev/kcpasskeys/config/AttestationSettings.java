package dev.kcpasskeys.config;

import dev.kcpasskeys.ceremony.AttestationPolicy;
import dev.kcpasskeys.metadata.MetadataSource;
import dev.kcpasskeys.metadata.TrustedMetadata;
import java.util.Optional;
import org.keycloak.models.RealmModel;

/**
 * A realm's attestation setting and where the FIDO metadata that assesses it comes from. Realm
 * attributes, so every node agrees; each node loads the metadata itself ({@link TrustedMetadata}).
 *
 * @param conveyance {@code none} (default), {@code direct} or {@code enterprise}
 * @param metadataSource an https URL or a file name in Keycloak's conf directory; empty: the FIDO
 *     Metadata Service
 * @param metadataRootCertificate the PEM root the BLOB's signature must chain to; empty: the FIDO
 *     Alliance's
 */
public record AttestationSettings(
    String conveyance, Optional<String> metadataSource, Optional<String> metadataRootCertificate) {

  static final String CONVEYANCE = "passkeys.attestation";
  static final String METADATA_SOURCE = "passkeys.metadata.source";
  static final String METADATA_ROOT = "passkeys.metadata.rootCertificate";

  public static AttestationSettings read(RealmModel realm) {
    String conveyance = realm == null ? null : realm.getAttribute(CONVEYANCE);
    return new AttestationSettings(
        // A value a later version dropped (or a hand-edited attribute) means none, never a 500.
        conveyance != null && AttestationPolicy.CONVEYANCES.contains(conveyance.trim())
            ? conveyance.trim()
            : AttestationPolicy.NONE_CONVEYANCE,
        realm == null
            ? Optional.empty()
            : PasskeySettings.nonBlank(realm.getAttribute(METADATA_SOURCE)),
        realm == null
            ? Optional.empty()
            : PasskeySettings.nonBlank(realm.getAttribute(METADATA_ROOT)));
  }

  public void write(RealmModel realm) {
    realm.setAttribute(CONVEYANCE, conveyance);
    put(realm, METADATA_SOURCE, metadataSource);
    put(realm, METADATA_ROOT, metadataRootCertificate);
  }

  public MetadataSource source() {
    return new MetadataSource(metadataSource.orElse(""), metadataRootCertificate);
  }

  /** What the ceremony asks of attestation and the metadata it assesses it with. */
  public AttestationPolicy policy() {
    return AttestationPolicy.NONE_CONVEYANCE.equals(conveyance)
        ? AttestationPolicy.NONE
        : AttestationPolicy.verifiedBy(conveyance, TrustedMetadata.of(source()));
  }

  private static void put(RealmModel realm, String key, Optional<String> value) {
    if (value.isEmpty()) {
      realm.removeAttribute(key);
    } else {
      realm.setAttribute(key, value.get());
    }
  }
}
