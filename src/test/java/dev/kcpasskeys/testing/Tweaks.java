package dev.kcpasskeys.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deviations from a well-behaved authenticator/browser, for negative tests. Start from {@link
 * #none()} and chain; every knob left alone keeps the honest behaviour.
 */
public final class Tweaks {

  // client data
  String origin;
  String clientDataType;
  Boolean crossOrigin = Boolean.FALSE;
  String topOrigin;
  String challenge;
  final Map<String, Object> extraClientData = new LinkedHashMap<>();
  // authenticator data
  boolean up = true;
  boolean uv = true;
  boolean be = true;
  boolean bs = true;
  boolean atOnAssertion;
  Long signCount;
  String rpIdForHash;
  // credential creation
  SoftKey.Alg alg;
  Long declaredAlg;
  UUID aaguid;
  Integer credentialIdLength;
  String fmt = "none";
  AttestationPki.Issued attestationCertificate;
  // assertion
  boolean omitUserHandle;
  byte[] userHandle;
  boolean corruptSignature;
  byte[] registeredCredentialId;
  byte[] credentialId;
  // JSON envelope
  String credentialType = "public-key";
  Optional<Boolean> credPropsRk = Optional.of(true);

  private Tweaks() {}

  /** Honest behaviour: UP, UV, BE and BS set, fmt none, crossOrigin false. */
  public static Tweaks none() {
    return new Tweaks();
  }

  public Tweaks origin(String value) {
    origin = value;
    return this;
  }

  public Tweaks clientDataType(String value) {
    clientDataType = value;
    return this;
  }

  /** null omits crossOrigin from clientDataJSON. */
  public Tweaks crossOrigin(Boolean value) {
    crossOrigin = value;
    return this;
  }

  public Tweaks topOrigin(String value) {
    topOrigin = value;
    return this;
  }

  /** Replaces the base64url challenge in clientDataJSON. */
  public Tweaks challenge(String base64Url) {
    challenge = base64Url;
    return this;
  }

  public Tweaks extraClientData(String key, Object value) {
    extraClientData.put(key, value);
    return this;
  }

  public Tweaks userPresent(boolean value) {
    up = value;
    return this;
  }

  public Tweaks userVerified(boolean value) {
    uv = value;
    return this;
  }

  public Tweaks backupEligible(boolean value) {
    be = value;
    return this;
  }

  public Tweaks backedUp(boolean value) {
    bs = value;
    return this;
  }

  /**
   * Sets the AT flag on an assertion's authenticator data (which then carries no attested data).
   */
  public Tweaks attestedDataFlagOnAssertion(boolean value) {
    atOnAssertion = value;
    return this;
  }

  /** Presents this counter instead of the authenticator's own. */
  public Tweaks signCount(long value) {
    signCount = value;
    return this;
  }

  /** Hashes this RP ID into authenticator data instead of the real one. */
  public Tweaks rpIdForHash(String value) {
    rpIdForHash = value;
    return this;
  }

  /** Creates the key with this algorithm, whatever the options allow. */
  public Tweaks alg(SoftKey.Alg value) {
    alg = value;
    return this;
  }

  /** Declares this COSE alg in the COSE key (and packed attStmt) instead of the key's real one. */
  public Tweaks declaredAlg(long value) {
    declaredAlg = value;
    return this;
  }

  public Tweaks aaguid(UUID value) {
    aaguid = value;
    return this;
  }

  public Tweaks credentialIdLength(int value) {
    credentialIdLength = value;
    return this;
  }

  /**
   * Packed attestation with this certificate in x5c (basic attestation, WebAuthn L3 §8.2), signed
   * with its key, instead of self attestation.
   */
  public Tweaks attestedBy(AttestationPki.Issued certificate) {
    fmt = "packed";
    attestationCertificate = certificate;
    return this;
  }

  /** "none", "packed" (self attestation) or any other string (empty attStmt). */
  public Tweaks fmt(String value) {
    fmt = value;
    return this;
  }

  public Tweaks omitUserHandle() {
    omitUserHandle = true;
    return this;
  }

  public Tweaks userHandle(byte[] value) {
    userHandle = value.clone();
    return this;
  }

  /**
   * Flips a bit of the assertion signature (or of the packed attestation signature at
   * registration).
   */
  public Tweaks corruptSignature() {
    corruptSignature = true;
    return this;
  }

  /**
   * Claims this credential ID (id/rawId) in an assertion while signing with the chosen credential.
   */
  public Tweaks credentialId(byte[] value) {
    credentialId = value.clone();
    return this;
  }

  /**
   * At registration: the authenticator makes a credential with this ID (as a cloned or replayed one
   * would).
   */
  public Tweaks registeredCredentialId(byte[] value) {
    registeredCredentialId = value.clone();
    return this;
  }

  public Tweaks credentialType(String value) {
    credentialType = value;
    return this;
  }

  /** The credProps.rk client extension output; empty omits credProps. */
  public Tweaks credPropsRk(Optional<Boolean> value) {
    credPropsRk = value;
    return this;
  }
}
