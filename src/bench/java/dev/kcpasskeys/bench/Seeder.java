package dev.kcpasskeys.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.it.support.AdminClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.keycloak.credential.AttestationStatementConverter;

/**
 * Seeds users fast with the admin API's partial import: passkeys are precomputed
 * webauthn-passwordless credentials in Keycloak's credentialData format (nothing to hash);
 * password users, whose hashing is the slow part, are a smaller set.
 */
final class Seeder {

  static final String PASSWORD = "bench-Password-1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NONE_ATTESTATION =
      new AttestationStatementConverter(new ObjectConverter()).convertToDatabaseColumn(new NoneAttestationStatement());

  private final AdminClient admin;
  private final KeyPool keys;

  /** BE and BS set (a synced passkey, as the seeded counters of 0 suggest), UV at registration. */
  private static final String METADATA = "{\"v\":1,\"be\":true,\"bs\":true,\"uv\":true,\"lu\":"
      + (System.currentTimeMillis() - java.time.Duration.ofDays(3).toMillis()) + ",\"src\":\"login\"}";

  Seeder(AdminClient admin, KeyPool keys) {
    this.admin = admin;
    this.keys = keys;
  }

  /** {@code count} users named {@code prefix-000001}…, each with {@code passkeys} passkeys. */
  List<BenchUser> passkeyUsers(String realm, String prefix, int count, int passkeys) {
    List<BenchUser> users = new ArrayList<>(count);
    int batch = Math.max(25, 1000 / passkeys);
    for (int from = 0; from < count; from += batch) {
      ArrayNode reps = NODES.arrayNode();
      for (int i = from; i < Math.min(count, from + batch); i++) {
        BenchUser user = newUser(i, prefix, passkeys);
        users.add(user);
        ObjectNode rep = userRep(reps, user);
        ArrayNode credentials = rep.putArray("credentials");
        ObjectNode attributes = rep.putObject("attributes");
        ArrayNode index = attributes.putArray("passkeys.credential-id");
        for (int p = 0; p < passkeys; p++) {
          String credentialModelId = UUID.randomUUID().toString();
          credentials.add(passkeyCredential(user, p).put("id", credentialModelId));
          // What our registration stores next to each passkey (see PasskeyStore): registered and
          // last used three days ago, so a benchmark sign-in is a returning user's sign-in.
          attributes.putArray("passkeys.meta." + credentialModelId).add(METADATA);
          index.add(PasskeyStore.indexValue(user.credentialIds()[p]));
        }
      }
      importUsers(realm, reps);
    }
    return users;
  }

  /** Users with {@link #PASSWORD}, hashed by Keycloak with its default algorithm on import. */
  List<BenchUser> passwordUsers(String realm, String prefix, int count) {
    List<BenchUser> users = new ArrayList<>(count);
    for (int from = 0; from < count; from += 25) {
      ArrayNode reps = NODES.arrayNode();
      for (int i = from; i < Math.min(count, from + 25); i++) {
        BenchUser user = newUser(i, prefix, 0);
        users.add(user);
        userRep(reps, user).putArray("credentials").addObject()
            .put("type", "password").put("value", PASSWORD).put("temporary", false);
      }
      importUsers(realm, reps);
    }
    return users;
  }

  private static BenchUser newUser(int index, String prefix, int passkeys) {
    byte[][] ids = new byte[passkeys][];
    for (int p = 0; p < passkeys; p++) {
      ids[p] = new byte[32];
      RANDOM.nextBytes(ids[p]);
    }
    return new BenchUser(index, UUID.randomUUID().toString(), String.format("%s-%06d", prefix, index + 1), ids);
  }

  private static ObjectNode userRep(ArrayNode reps, BenchUser user) {
    return reps.addObject().put("id", user.id()).put("username", user.username()).put("enabled", true)
        .put("email", user.username() + "@bench.example").put("emailVerified", true)
        .put("firstName", "Bench").put("lastName", user.username());
  }

  private ObjectNode passkeyCredential(BenchUser user, int p) {
    ObjectNode data = NODES.objectNode()
        .put("aaguid", new UUID(0, 0).toString())
        .put("credentialId", Base64.getEncoder().encodeToString(user.credentialIds()[p]))
        .put("counter", 0)
        .put("attestationStatement", NONE_ATTESTATION)
        .put("credentialPublicKey", keys.coseKey(user.index(), p))
        .put("attestationStatementFormat", "none");
    data.putArray("transports").add("internal").add("hybrid");
    return NODES.objectNode().put("type", "webauthn-passwordless").put("userLabel", "Bench passkey " + (p + 1))
        .put("createdDate", System.currentTimeMillis()).put("secretData", "{}")
        .put("credentialData", data.toString());
  }

  private void importUsers(String realm, ArrayNode reps) {
    ObjectNode body = NODES.objectNode().put("ifResourceExists", "FAIL");
    body.set("users", reps);
    AdminClient.Response r = admin.post("/realms/" + realm + "/partialImport", body);
    if (r.status() != 200 || r.json().path("added").asInt() != reps.size()) {
      throw new IllegalStateException("partial import into " + realm + " failed: " + r.status() + " "
          + r.body().substring(0, Math.min(400, r.body().length())));
    }
  }
}
