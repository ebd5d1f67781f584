package dev.kcpasskeys.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import dev.kcpasskeys.credential.PasskeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.keycloak.credential.AttestationStatementConverter;

/**
 * Writes the benchmark's realms and users as a Keycloak import directory ({@code kc.sh import
 * --dir}, loaded before the server starts): {@code <realm>-realm.json} plus users in
 * {@code <realm>-users-<n>.json} files of {@link #USERS_PER_FILE}, so the importer never holds
 * 100 000 users in memory at once. Passkeys are precomputed webauthn-passwordless credentials in
 * Keycloak's credentialData format with the metadata our registration stores next to them
 * (nothing to hash); password users, whose hashing is the slow part, are a smaller set.
 */
final class Seeder {

  static final String PASSWORD = "bench-Password-1";
  private static final int USERS_PER_FILE = 5_000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NONE_ATTESTATION =
      new AttestationStatementConverter(new ObjectConverter()).convertToDatabaseColumn(new NoneAttestationStatement());
  /**
   * BE and BS set (a synced passkey, as the seeded counters of 0 suggest), UV at registration, last
   * used {@code BENCH_LAST_USED_MINUTES_AGO} (default three days) ago: then every first sign-in of
   * a user records its last use, as a returning user's first sign-in of the day does.
   */
  private static final long LAST_USED = System.currentTimeMillis() - Duration.ofMinutes(lastUsedMinutesAgo()).toMillis();
  /**
   * For {@code -recent} configurations: a last use the server sees as recent for the whole run (it
   * is a few hours ahead, and the server writes only once the stored value is 15 minutes old), so
   * their sign-ins write nothing.
   */
  private static final long RECENTLY_USED = System.currentTimeMillis() + Duration.ofHours(6).toMillis();

  private static long lastUsedMinutesAgo() {
    String value = System.getenv("BENCH_LAST_USED_MINUTES_AGO");
    return value == null || value.isBlank() ? Duration.ofDays(3).toMinutes() : Long.parseLong(value.trim());
  }

  private static String metadata(long lastUsed) {
    return "{\"v\":1,\"be\":true,\"bs\":true,\"uv\":true,\"lu\":" + lastUsed + ",\"src\":\"login\"}";
  }

  private final Path dir;
  private final KeyPool keys;

  Seeder(Path dir, KeyPool keys) {
    this.dir = dir;
    this.keys = keys;
    try {
      Files.createDirectories(dir);
      try (var old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void realm(ObjectNode realm) {
    write(realm.path("realm").asText() + "-realm.json", realm);
  }

  /**
   * {@code count} users named {@code prefix-000001}…, each with {@code passkeys} passkeys, last used
   * three days ago or, with {@code recentlyUsed}, recently enough that sign-ins write nothing.
   */
  List<BenchUser> passkeyUsers(String realm, String prefix, int count, int passkeys, boolean recentlyUsed) {
    long lastUse = recentlyUsed ? RECENTLY_USED : LAST_USED;
    String lastUsed = Long.toString(lastUse);
    String metadata = metadata(lastUse);
    List<BenchUser> users = new ArrayList<>(count);
    ArrayNode reps = NODES.arrayNode();
    for (int i = 0; i < count; i++) {
      BenchUser user = newUser(i, prefix, passkeys);
      users.add(user);
      ObjectNode rep = userRep(reps, user);
      ArrayNode credentials = rep.putArray("credentials");
      ObjectNode attributes = rep.putObject("attributes");
      ArrayNode index = attributes.putArray("passkeys.credential-id");
      for (int p = 0; p < passkeys; p++) {
        String credentialModelId = UUID.randomUUID().toString();
        credentials.add(passkeyCredential(user, p).put("id", credentialModelId));
        // What our registration stores next to each passkey (see PasskeyStore), with its last use.
        attributes.putArray("passkeys.meta." + credentialModelId).add(metadata);
        attributes.putArray("passkeys.used." + credentialModelId).add(lastUsed);
        index.add(PasskeyStore.indexValue(user.credentialIds()[p]));
      }
      if (reps.size() == USERS_PER_FILE) {
        usersFile(realm, reps);
        reps = NODES.arrayNode();
      }
    }
    usersFile(realm, reps);
    return users;
  }

  /** Users with {@link #PASSWORD}, hashed by Keycloak with its default algorithm on import. */
  List<BenchUser> passwordUsers(String realm, String prefix, int count) {
    List<BenchUser> users = new ArrayList<>(count);
    ArrayNode reps = NODES.arrayNode();
    for (int i = 0; i < count; i++) {
      BenchUser user = newUser(i, prefix, 0);
      users.add(user);
      userRep(reps, user).putArray("credentials").addObject()
          .put("type", "password").put("value", PASSWORD).put("temporary", false);
    }
    usersFile(realm, reps);
    return users;
  }

  private void usersFile(String realm, ArrayNode reps) {
    if (reps.isEmpty()) {
      return;
    }
    try (var existing = Files.list(dir)) {
      long n = existing.filter(p -> p.getFileName().toString().startsWith(realm + "-users-")).count();
      ObjectNode file = NODES.objectNode().put("realm", realm);
      file.set("users", reps);
      write(realm + "-users-" + n + ".json", file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String name, ObjectNode content) {
    try (JsonGenerator out = new JsonFactory(JSON).createGenerator(Files.newBufferedWriter(dir.resolve(name)))) {
      out.writeTree(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
}
