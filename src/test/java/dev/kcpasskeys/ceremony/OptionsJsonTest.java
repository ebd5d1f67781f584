package dev.kcpasskeys.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcpasskeys.testing.Tweaks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OptionsJsonTest {

  static final ObjectMapper MAPPER = new ObjectMapper();
  final CeremonyFixture f = new CeremonyFixture();

  static JsonNode parse(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  @Nested
  class CreationOptionsJson {

    @Test
    void describesTheRpUserAndChallengeInBase64Url() throws Exception {
      JsonNode json = parse(f.creationOptionsJson(f.alice));
      assertEquals("example.org", json.at("/rp/id").asText());
      assertEquals("Example", json.at("/rp/name").asText());
      assertEquals(Base64Url.encode(f.alice.userHandle()), json.at("/user/id").asText());
      assertEquals("alice", json.at("/user/name").asText());
      assertEquals("ALICE", json.at("/user/displayName").asText());
      assertEquals(Base64Url.encode(f.challenge), json.get("challenge").asText());
      assertFalse(json.get("challenge").asText().contains("="));
      assertEquals(300_000, json.get("timeout").asLong());
    }

    @Test
    void offersTheAllowedAlgorithmsInOrder() throws Exception {
      JsonNode params = parse(f.creationOptionsJson(f.alice)).get("pubKeyCredParams");
      assertEquals(
          parse(
              "[{\"type\":\"public-key\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-8},"
                  + "{\"type\":\"public-key\",\"alg\":-257}]"),
          params);
    }

    @Test
    void requiresADiscoverableUserVerifiedCredentialWithoutAttestation() throws Exception {
      JsonNode json = parse(f.creationOptionsJson(f.alice));
      assertEquals(
          parse(
              "{\"residentKey\":\"required\",\"requireResidentKey\":true,"
                  + "\"userVerification\":\"required\"}"),
          json.get("authenticatorSelection"));
      assertEquals("none", json.get("attestation").asText());
      assertEquals(parse("{\"credProps\":true}"), json.get("extensions"));
      assertFalse(json.has("hints"));
    }

    @Test
    void excludesTheUsersExistingPasskeysWithTheirTransports() throws Exception {
      StoredPasskey existing = f.registered(f.alice, Tweaks.none());
      JsonNode exclude = parse(f.creationOptionsJson(f.alice)).get("excludeCredentials");
      assertEquals(1, exclude.size());
      assertEquals("public-key", exclude.get(0).get("type").asText());
      assertEquals(Base64Url.encode(existing.credentialId()), exclude.get(0).get("id").asText());
      assertEquals(parse("[\"hybrid\",\"internal\"]"), exclude.get(0).get("transports"));
    }

    @Test
    void omitsEmptyTransports() throws Exception {
      StoredPasskey bare =
          new StoredPasskey(
              new byte[] {1},
              new byte[] {2},
              new byte[] {3},
              0,
              Set.of(),
              Optional.empty(),
              Optional.empty(),
              false,
              false);
      String json =
          CeremonyFixture.CEREMONY
              .creationOptions(f.rp, f.alice, f.challenge, List.of(bare))
              .toJson();
      assertFalse(parse(json).at("/excludeCredentials/0").has("transports"));
    }

    @Test
    void aConditionalCreateAsksForPreferredUserVerificationAndIsOtherwiseTheSame()
        throws Exception {
      JsonNode modal = parse(f.creationOptionsJson(f.alice));
      JsonNode conditional = parse(f.conditionalCreationOptionsJson(f.alice));
      assertEquals(
          "preferred", conditional.at("/authenticatorSelection/userVerification").asText());
      ((com.fasterxml.jackson.databind.node.ObjectNode) conditional.get("authenticatorSelection"))
          .put("userVerification", "required");
      assertEquals(modal, conditional);
    }

    @Test
    void asksForPreferredUserVerificationWhenNotRequired() throws Exception {
      f.rp = f.rp.withUserVerificationRequired(false);
      assertEquals(
          "preferred",
          parse(f.creationOptionsJson(f.alice))
              .at("/authenticatorSelection/userVerification")
              .asText());
    }
  }

  @Nested
  class RequestOptionsJson {

    @Test
    void isEmptyOfCredentialsForADiscoverableCeremony() throws Exception {
      JsonNode json = parse(f.requestOptionsJson(List.of()));
      assertEquals(Base64Url.encode(f.challenge), json.get("challenge").asText());
      assertEquals(300_000, json.get("timeout").asLong());
      assertEquals("example.org", json.get("rpId").asText());
      assertEquals(0, json.get("allowCredentials").size());
      assertEquals("required", json.get("userVerification").asText());
    }

    @Test
    void listsTheIdentifiedUsersPasskeys() throws Exception {
      StoredPasskey existing = f.registered(f.alice, Tweaks.none());
      JsonNode allow = parse(f.requestOptionsJson(List.of(existing))).get("allowCredentials");
      assertEquals(Base64Url.encode(existing.credentialId()), allow.get(0).get("id").asText());
    }
  }

  /** WebAuthn L3 §5.4 and §5.5 {@code hints}, values of §5.8.7 PublicKeyCredentialHint. */
  @Nested
  class Hints_L3_5_8_7 {

    @Test
    void noHintsByDefaultSoTheBrowserDecides() throws Exception {
      assertFalse(parse(f.creationOptionsJson(f.alice)).has("hints"));
      assertFalse(parse(f.requestOptionsJson(List.of())).has("hints"));
    }

    @Test
    void creationAndRequestOptionsCarryTheHintsInTheRelyingPartysOrder() throws Exception {
      f.rp = f.rp.withHints(List.of("security-key", "hybrid"));
      assertEquals(
          parse("[\"security-key\",\"hybrid\"]"),
          parse(f.creationOptionsJson(f.alice)).get("hints"));
      assertEquals(
          parse("[\"security-key\",\"hybrid\"]"),
          parse(f.requestOptionsJson(List.of())).get("hints"));
    }

    @Test
    void anUnknownOrRepeatedHintIsRefused() {
      assertEquals(
          "'usb' is not a WebAuthn hint (security-key, client-device, hybrid)",
          Hints.problem(List.of("usb")).orElseThrow());
      assertTrue(Hints.problem(List.of("hybrid", "hybrid")).isPresent());
      assertTrue(Hints.problem(List.of("client-device")).isEmpty());
      assertThrows(IllegalArgumentException.class, () -> f.rp.withHints(List.of("Hybrid")));
    }
  }

  @Nested
  class Values {

    @Test
    void challengesAre32RandomBytes() {
      assertEquals(32, PasskeyCeremony.newChallenge().length);
      assertNotEquals(
          Base64Url.encode(PasskeyCeremony.newChallenge()),
          Base64Url.encode(PasskeyCeremony.newChallenge()));
    }

    @Test
    void settingsHaveTheDocumentedDefaults() {
      RelyingPartySettings rp =
          RelyingPartySettings.of("example.org", "Example", Set.of("https://example.org"));
      assertEquals(List.of(-7L, -8L, -257L), rp.allowedAlgorithms());
      assertEquals(Duration.ofMinutes(5), rp.timeout());
      assertTrue(rp.allowedAaguids().isEmpty());
      assertTrue(rp.userVerificationRequired());
    }

    @Test
    void settingsRejectNonsense() {
      assertThrows(
          IllegalArgumentException.class,
          () -> RelyingPartySettings.of("example.org", "Example", Set.of()));
      assertThrows(
          IllegalArgumentException.class,
          () -> RelyingPartySettings.of(" ", "Example", Set.of("https://example.org")));
    }

    @Test
    void userHandlesAreOneTo64Bytes() {
      new UserIdentity(new byte[64], "a", "A");
      assertThrows(IllegalArgumentException.class, () -> new UserIdentity(new byte[65], "a", "A"));
      assertThrows(IllegalArgumentException.class, () -> new UserIdentity(new byte[0], "a", "A"));
    }

    @Test
    void recordsCopyTheirByteArrays() {
      byte[] handle = {1, 2, 3};
      UserIdentity user = new UserIdentity(handle, "a", "A");
      handle[0] = 9;
      user.userHandle()[1] = 9;
      assertEquals(new UserIdentity(new byte[] {1, 2, 3}, "a", "A"), user);
    }

    @Test
    void onlyEnumerationSensitiveReasonsAreUniformToClients() {
      for (PasskeyVerificationException.Reason reason :
          PasskeyVerificationException.Reason.values()) {
        boolean uniform = new PasskeyVerificationException(reason, "x").isUniformToClient();
        assertEquals(
            reason == PasskeyVerificationException.Reason.UNKNOWN_CREDENTIAL
                || reason == PasskeyVerificationException.Reason.USER_HANDLE_MISSING,
            uniform,
            reason.name());
      }
    }
  }
}
