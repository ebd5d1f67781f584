package dev.kcpasskeys.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A software passkey provider plus the browser around it: answers
 * PublicKeyCredentialCreationOptionsJSON and PublicKeyCredentialRequestOptionsJSON with exactly
 * what {@code PublicKeyCredential.toJSON()} gives, and keeps its credentials (ID, key pair, user
 * handle, counter). {@link Tweaks} make it misbehave for negative tests. Thread-safe enough for
 * concurrent benchmark use (one credential list, synchronised).
 */
public final class SoftAuthenticator {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String origin;
  private final List<SoftCredential> credentials = new ArrayList<>();
  private long counterStep = 1;
  private String attachment = "platform";

  /**
   * An authenticator used from pages of {@code origin} (e.g. {@code https://login.example.org}).
   */
  public SoftAuthenticator(String origin) {
    this.origin = origin;
  }

  /** How much the counter grows per assertion; 0 imitates synced passkeys that always report 0. */
  public SoftAuthenticator counterStep(long step) {
    this.counterStep = step;
    return this;
  }

  public SoftAuthenticator attachment(String value) {
    this.attachment = value;
    return this;
  }

  public String origin() {
    return origin;
  }

  public synchronized List<SoftCredential> credentials() {
    return List.copyOf(credentials);
  }

  /** The most recently created credential. */
  public synchronized SoftCredential lastCredential() {
    if (credentials.isEmpty()) {
      throw new IllegalStateException("no credential yet");
    }
    return credentials.get(credentials.size() - 1);
  }

  public String register(String creationOptionsJson) {
    return register(creationOptionsJson, Tweaks.none());
  }

  /**
   * What a password manager answers {@code navigator.credentials.create({mediation:
   * "conditional"})} with (an automatic passkey upgrade): no dialog, so neither user presence nor
   * user verification (WebAuthn L3 §5.1.3 has the client set both requirements to false), and
   * authenticator data with UP=0 and UV=0.
   */
  public String registerWithoutDialog(String creationOptionsJson) {
    return register(creationOptionsJson, Tweaks.none().userPresent(false).userVerified(false));
  }

  /** navigator.credentials.create() + toJSON(): a RegistrationResponseJSON string. */
  public String register(String creationOptionsJson, Tweaks tweaks) {
    JsonNode options = read(creationOptionsJson);
    String rpId = options.path("rp").path("id").asText();
    rejectExcluded(options.path("excludeCredentials"), rpId);
    SoftKey key =
        SoftKey.generate(
            tweaks.alg != null ? tweaks.alg : chooseAlg(options.path("pubKeyCredParams")));
    byte[] credentialId =
        tweaks.registeredCredentialId != null
            ? tweaks.registeredCredentialId.clone()
            : random(tweaks.credentialIdLength != null ? tweaks.credentialIdLength : 32);
    long signCount = tweaks.signCount != null ? tweaks.signCount : 0;
    byte[] userHandle = decode(options.path("user").path("id").asText());
    byte[] clientData =
        ClientDataBuilder.build(
            "webauthn.create", options.path("challenge").asText(), origin, tweaks);
    byte[] authData = AuthDataBuilder.registration(rpId, tweaks, signCount, credentialId, key);
    byte[] attestationObject =
        AttestationBuilder.attestationObject(tweaks, key, authData, clientData);
    synchronized (this) {
      credentials.add(new SoftCredential(credentialId, key, rpId, userHandle, signCount));
    }
    return registrationJson(tweaks, credentialId, clientData, attestationObject, authData, key);
  }

  public String authenticate(String requestOptionsJson) {
    return authenticate(requestOptionsJson, Tweaks.none());
  }

  /** navigator.credentials.get() + toJSON(), choosing a credential like a browser would. */
  public String authenticate(String requestOptionsJson, Tweaks tweaks) {
    JsonNode options = read(requestOptionsJson);
    return authenticate(requestOptionsJson, choose(options), tweaks);
  }

  /**
   * navigator.credentials.get() + toJSON() with this credential: an AuthenticationResponseJSON
   * string.
   */
  public String authenticate(String requestOptionsJson, SoftCredential credential, Tweaks tweaks) {
    JsonNode options = read(requestOptionsJson);
    long signCount = tweaks.signCount != null ? tweaks.signCount : credential.advance(counterStep);
    byte[] clientData =
        ClientDataBuilder.build("webauthn.get", options.path("challenge").asText(), origin, tweaks);
    byte[] authData = AuthDataBuilder.assertion(credential.rpId(), tweaks, signCount);
    byte[] signature = credential.key().sign(AttestationBuilder.signedData(authData, clientData));
    if (tweaks.corruptSignature) {
      signature[signature.length - 1] ^= 0x01;
    }
    byte[] id = tweaks.credentialId != null ? tweaks.credentialId : credential.id();
    ObjectNode response =
        JSON.createObjectNode()
            .put("clientDataJSON", encode(clientData))
            .put("authenticatorData", encode(authData))
            .put("signature", encode(signature));
    if (!tweaks.omitUserHandle) {
      response.put(
          "userHandle",
          encode(tweaks.userHandle != null ? tweaks.userHandle : credential.userHandle()));
    }
    return envelope(tweaks, id, response, JSON.createObjectNode());
  }

  private String registrationJson(
      Tweaks tweaks,
      byte[] credentialId,
      byte[] clientData,
      byte[] attestationObject,
      byte[] authData,
      SoftKey key) {
    ObjectNode response =
        JSON.createObjectNode()
            .put("clientDataJSON", encode(clientData))
            .put("authenticatorData", encode(authData));
    response.putArray("transports").add("hybrid").add("internal");
    response
        .put("publicKey", encode(key.keyPair().getPublic().getEncoded()))
        .put("publicKeyAlgorithm", key.alg().coseId)
        .put("attestationObject", encode(attestationObject));
    ObjectNode extensions = JSON.createObjectNode();
    tweaks.credPropsRk.ifPresent(rk -> extensions.putObject("credProps").put("rk", rk));
    return envelope(tweaks, credentialId, response, extensions);
  }

  private String envelope(Tweaks tweaks, byte[] id, ObjectNode response, ObjectNode extensions) {
    ObjectNode credential =
        JSON.createObjectNode()
            .put("id", encode(id))
            .put("rawId", encode(id))
            .put("type", tweaks.credentialType)
            .put("authenticatorAttachment", attachment);
    credential.set("response", response);
    credential.set("clientExtensionResults", extensions);
    return credential.toString();
  }

  private synchronized SoftCredential choose(JsonNode options) {
    String rpId = options.path("rpId").asText();
    List<String> allowed = new ArrayList<>();
    options.path("allowCredentials").forEach(d -> allowed.add(d.path("id").asText()));
    for (int i = credentials.size() - 1; i >= 0; i--) {
      SoftCredential candidate = credentials.get(i);
      if (candidate.rpId().equals(rpId)
          && (allowed.isEmpty() || allowed.contains(candidate.idBase64Url()))) {
        return candidate;
      }
    }
    throw new IllegalStateException("NotAllowedError: no credential for " + rpId);
  }

  private synchronized void rejectExcluded(JsonNode excluded, String rpId) {
    for (JsonNode descriptor : excluded) {
      String id = descriptor.path("id").asText();
      if (credentials.stream().anyMatch(c -> c.rpId().equals(rpId) && c.idBase64Url().equals(id))) {
        throw new IllegalStateException("InvalidStateError: authenticator already registered");
      }
    }
  }

  private static SoftKey.Alg chooseAlg(JsonNode params) {
    for (JsonNode param : params) {
      for (SoftKey.Alg alg : SoftKey.Alg.values()) {
        if (alg.coseId == param.path("alg").asLong()) {
          return alg;
        }
      }
    }
    throw new IllegalStateException("NotSupportedError: no supported algorithm");
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] decode(String text) {
    return Base64.getUrlDecoder().decode(text);
  }
}
