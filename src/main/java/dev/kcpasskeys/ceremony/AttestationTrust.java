package dev.kcpasskeys.ceremony;

import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.ATTESTATION_UNTRUSTED;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.METADATA_UNAVAILABLE;
import static dev.kcpasskeys.ceremony.PasskeyVerificationException.Reason.MODEL_REFUSED;

import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.statement.AttestationStatement;
import com.webauthn4j.data.attestation.statement.CertificateBaseAttestationStatement;
import com.webauthn4j.metadata.MetadataBLOBBasedMetadataStatementRepository;
import com.webauthn4j.metadata.MetadataBLOBProvider;
import com.webauthn4j.metadata.anchor.MetadataBLOBBasedTrustAnchorRepository;
import com.webauthn4j.metadata.data.MetadataBLOBPayloadEntry;
import com.webauthn4j.metadata.data.toc.StatusReport;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.DefaultCertPathTrustworthinessVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Assesses attestation trustworthiness (WebAuthn L3 §7.1 steps 22-24) against the FIDO Metadata
 * Service: whether an attestation proves the authenticator model its AAGUID names, and whether the
 * metadata lets that model register at all.
 *
 * <p>The metadata's certification statuses ({@code NOT_FIDO_CERTIFIED}, {@code
 * SELF_ASSERTION_SUBMITTED}) do not refuse a model: passkey providers are often not certified. Its
 * security notifications ({@code REVOKED}, the four {@code *_COMPROMISE} and {@code
 * USER_VERIFICATION_BYPASS}) do, as webauthn4j reads them.
 */
final class AttestationTrust {

  private AttestationTrust() {}

  /**
   * @return true when the attestation proves the model (a certificate chain up to a root the
   *     metadata lists for this AAGUID); false when nothing about the model was proven (attestation
   *     not requested, none or self attestation, or a model the metadata does not list)
   * @throws PasskeyVerificationException when the metadata refuses the model, the attestation's
   *     chain does not reach the model's roots, or the metadata cannot be loaded
   */
  static boolean modelVerified(
      AttestationPolicy policy, AttestationStatement statement, Optional<UUID> aaguid)
      throws PasskeyVerificationException {
    if (policy.metadata().isEmpty() || aaguid.isEmpty()) {
      // WebAuthn L3 §7.1 step 23 only applies when attestation was asked for; without an AAGUID
      // (U2F-era keys) there is no model to look up.
      return false;
    }
    MetadataBLOBProvider metadata = policy.metadata().get();
    AAGUID model = new AAGUID(aaguid.get());
    List<MetadataBLOBPayloadEntry> entries = entries(metadata, model);
    if (!entries.isEmpty() && statements(metadata).find(model).isEmpty()) {
      // WebAuthn L3 §7.1 step 22 / FIDO MDS3 §3.1.4: a model whose status is a security
      // notification is refused, whatever attestation it brings (also none: it claims to be one).
      throw new PasskeyVerificationException(
          MODEL_REFUSED,
          "the metadata marks authenticator model " + aaguid.get() + " as " + statuses(entries));
    }
    if (!(statement instanceof CertificateBaseAttestationStatement certificates)
        || certificates.getX5c() == null
        || entries.isEmpty()) {
      return false; // none or self attestation, or a model the metadata does not list
    }
    try {
      // WebAuthn L3 §7.1 step 23: the x5c chain must lead to an attestation root certificate the
      // metadata lists for this AAGUID (webauthn4j's packed verifier has already matched the
      // certificate's AAGUID extension to authData, step 22).
      MetadataBLOBBasedTrustAnchorRepository anchors =
          new MetadataBLOBBasedTrustAnchorRepository(metadata);
      anchors.setNotFidoCertifiedAllowed(true);
      anchors.setSelfAssertionSubmittedAllowed(true);
      new DefaultCertPathTrustworthinessVerifier(anchors)
          .verify(model, certificates, Instant.now());
      return true;
    } catch (RuntimeException untrusted) {
      // WebAuthn L3 §7.1 step 24: verified but not trustworthy: the RP SHOULD fail the ceremony.
      throw new PasskeyVerificationException(
          ATTESTATION_UNTRUSTED,
          "the attestation certificate does not chain to a root the metadata lists for "
              + aaguid.get(),
          untrusted);
    }
  }

  /**
   * Whether the metadata, as it reads now, still lists the model without a security notification
   * (FIDO MDS3 §3.1.4: a relying party re-checks status reports as they change). A model revoked
   * after its passkeys registered is no longer vouched for; metadata that cannot be loaded vouches
   * for nothing.
   */
  static boolean inGoodStanding(MetadataBLOBProvider metadata, UUID aaguid) {
    try {
      // One pass over the BLOB (this runs on sign-ins): webauthn4j finds only the statements of
      // listed models whose status is no security notification.
      return !statements(metadata).find(new AAGUID(aaguid)).isEmpty();
    } catch (RuntimeException unavailable) {
      return false;
    }
  }

  private static List<MetadataBLOBPayloadEntry> entries(MetadataBLOBProvider metadata, AAGUID model)
      throws PasskeyVerificationException {
    try {
      return metadata.provide().getPayload().getEntries().stream()
          .filter(entry -> Objects.equals(entry.getAaguid(), model))
          .toList();
    } catch (RuntimeException unavailable) {
      throw new PasskeyVerificationException(
          METADATA_UNAVAILABLE,
          "the authenticator metadata could not be loaded: " + unavailable.getMessage(),
          unavailable);
    }
  }

  private static MetadataBLOBBasedMetadataStatementRepository statements(
      MetadataBLOBProvider metadata) {
    MetadataBLOBBasedMetadataStatementRepository statements =
        new MetadataBLOBBasedMetadataStatementRepository(metadata);
    statements.setNotFidoCertifiedAllowed(true);
    statements.setSelfAssertionSubmittedAllowed(true);
    return statements;
  }

  private static String statuses(List<MetadataBLOBPayloadEntry> entries) {
    return entries.stream()
        .flatMap(entry -> entry.getStatusReports().stream())
        .map(StatusReport::getStatus)
        .map(String::valueOf)
        .distinct()
        .toList()
        .toString();
  }
}
