package dev.kcpasskeys.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * FIDO Metadata Service BLOBs (MDS3: a JWS whose payload lists authenticator models) made and
 * signed by the tests, with entries for software authenticator models.
 */
public final class MetadataBlobs {

  /**
   * One model in a BLOB.
   *
   * @param aaguid the model
   * @param attestationRoot the root its attestation certificates chain to
   * @param status its latest status report, e.g. {@code FIDO_CERTIFIED_L1} or {@code REVOKED}
   */
  public record Model(UUID aaguid, X509Certificate attestationRoot, String status) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private MetadataBlobs() {}

  /** A BLOB signed with ES256 by {@code signer}, its certificate in the header's x5c. */
  public static String signed(
      AttestationPki.Issued signer, LocalDate nextUpdate, List<Model> models) {
    ObjectNode header = JSON.createObjectNode().put("alg", "ES256").put("typ", "JWT");
    header
        .putArray("x5c")
        .add(Base64.getEncoder().encodeToString(AttestationPki.encoded(signer.certificate())));
    ObjectNode payload =
        JSON.createObjectNode()
            .put("legalHeader", "Test metadata made by the Keycloak Passkeys tests.")
            .put("no", 1)
            .put("nextUpdate", nextUpdate.toString());
    ArrayNode entries = payload.putArray("entries");
    models.forEach(model -> entries.add(entry(model)));
    String signingInput =
        URL.encodeToString(bytes(header)) + "." + URL.encodeToString(bytes(payload));
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(signer.key());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + URL.encodeToString(signature.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same BLOB with one more model written into its payload after signing. */
  public static String tampered(String blob, Model extra) {
    String[] parts = blob.split("\\.");
    try {
      ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      ((ArrayNode) payload.get("entries")).add(entry(extra));
      return parts[0] + "." + URL.encodeToString(bytes(payload)) + "." + parts[2];
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode entry(Model model) {
    ObjectNode entry = JSON.createObjectNode().put("aaguid", model.aaguid().toString());
    ObjectNode statement =
        entry
            .putObject("metadataStatement")
            .put("legalHeader", "Test")
            .put("aaguid", model.aaguid().toString())
            .put("description", "Passkeys test authenticator " + model.aaguid())
            .put("authenticatorVersion", 1)
            .put("protocolFamily", "fido2")
            .put("schema", 3);
    statement.putArray("upv").addObject().put("major", 1).put("minor", 0);
    statement.putArray("authenticationAlgorithms").add("secp256r1_ecdsa_sha256_raw");
    statement.putArray("publicKeyAlgAndEncodings").add("cose");
    statement.putArray("attestationTypes").add("basic_full");
    statement
        .putArray("userVerificationDetails")
        .addArray()
        .addObject()
        .put("userVerificationMethod", "presence_internal");
    statement.putArray("keyProtection").add("hardware").add("secure_element");
    statement.putArray("matcherProtection").add("on_chip");
    statement.putArray("attachmentHint").add("external");
    statement.putArray("tcDisplay");
    statement
        .putArray("attestationRootCertificates")
        .add(Base64.getEncoder().encodeToString(AttestationPki.encoded(model.attestationRoot())));
    entry
        .putArray("statusReports")
        .addObject()
        .put("status", model.status())
        .put("effectiveDate", "2025-01-01");
    entry.put("timeOfLastStatusChange", "2025-01-01");
    return entry;
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
