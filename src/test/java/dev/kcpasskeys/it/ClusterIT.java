package dev.kcpasskeys.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcpasskeys.it.support.AdminClient;
import dev.kcpasskeys.it.support.ApiClient;
import dev.kcpasskeys.it.support.AtOnce;
import dev.kcpasskeys.it.support.AtOnce.Outcome;
import dev.kcpasskeys.it.support.BuiltInWebAuthnPages;
import dev.kcpasskeys.it.support.Cluster;
import dev.kcpasskeys.it.support.ClusterExtension;
import dev.kcpasskeys.it.support.ClusterRealm;
import dev.kcpasskeys.it.support.HttpLogin;
import dev.kcpasskeys.it.support.HttpLogin.Result;
import dev.kcpasskeys.it.support.Oidc;
import dev.kcpasskeys.it.support.TestRealm;
import dev.kcpasskeys.testing.SoftAuthenticator;
import dev.kcpasskeys.testing.Tweaks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Passkeys on two clustered Keycloak nodes sharing one PostgreSQL (src/test/cluster/cluster.sh):
 * ceremonies that move between nodes, the same POST on both nodes at once, changes seen across
 * nodes, a registration whose save fails in the database or whose database is gone, and a node
 * killed mid-ceremony. The database tests restore PostgreSQL; the node-killing test leaves node A
 * down, and the last test brings it back without the extension (an uninstall); the extension stops
 * what is left.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final String PASSWORD = "cluster-password";
  private static final int REPEATS = 20;
  private static Cluster cluster;
  private static ClusterRealm realm;
  private static String nodeA;
  private static String nodeB;

  @BeforeAll
  static void realm(Cluster running) {
    cluster = running;
    nodeA = cluster.nodeA();
    nodeB = cluster.nodeB();
    realm = new ClusterRealm(cluster, "cluster-" + System.currentTimeMillis());
  }

  @Test
  @Order(1)
  void registrationAndSignInStartedOnAFinishOnB() {
    String userId = realm.createUser("ada", PASSWORD, "passkey-register");
    SoftAuthenticator authenticator = new SoftAuthenticator(nodeA);
    HttpLogin onA = new HttpLogin(nodeA);
    onA.open(realm.authorizationUrl(nodeA));
    Result registration = onA.passwordSignIn("ada", PASSWORD);
    assertTrue(registration.isRegistrationPage(), registration.toString());

    String response = authenticator.register(registration.options());
    Result registered =
        onA.via(nodeB)
            .post(
                Cluster.onNode(onA.registerAction(), nodeB),
                Map.of("passkey_name", "Ada's key", "passkey_response", response));
    assertNotNull(registered.code(), registered.toString());
    assertEquals(userId, sub(nodeB, registered.code()));
    assertEquals(1, realm.passkeys(cluster.adminA(), userId).size());
    assertEquals("Ada's key", realm.passkeys(cluster.adminB(), userId).get(0).get("name").asText());

    HttpLogin second = new HttpLogin(nodeA);
    Result page = second.open(realm.authorizationUrl(nodeA));
    Result signedIn =
        second
            .via(nodeB)
            .post(
                Cluster.onNode(second.passkeyAction(), nodeB),
                Map.of(
                    "passkey_response",
                    authenticator.authenticate(page.options()),
                    "passkey_path",
                    "button"));
    assertNotNull(signedIn.code(), signedIn.toString());
    assertEquals(userId, sub(nodeB, signedIn.code()));
    assertEquals(1, webauthnCredentials(cluster.adminB(), userId), "nothing duplicated");
  }

  @Test
  @Order(2)
  void theSameRegistrationPostOnBothNodesAtOnceSavesOnePasskey() {
    List<String> losers = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      String username = "twin-reg-" + i;
      String userId = realm.createUser(username, PASSWORD, "passkey-register");
      HttpLogin onA = new HttpLogin(nodeA);
      onA.open(realm.authorizationUrl(nodeA));
      Result registration = onA.passwordSignIn(username, PASSWORD);
      assertTrue(registration.isRegistrationPage(), registration.toString());
      Map<String, String> fields =
          Map.of(
              "passkey_name",
              "twin",
              "passkey_response",
              new SoftAuthenticator(nodeA).register(registration.options()));
      String action = onA.registerAction();

      List<Outcome<Result>> outcomes = bothNodes(onA, action, fields);
      assertEquals(1, codes(outcomes), "round " + i + ": exactly one code, got " + outcomes);
      losers.add(loser(outcomes));
      assertEquals(
          1, realm.passkeys(cluster.adminB(), userId).size(), "round " + i + ": one passkey");
      assertEquals(
          1, webauthnCredentials(cluster.adminA(), userId), "round " + i + ": one credential");
    }
    System.out.println("duplicate registration POST, the other node answered: " + distinct(losers));
  }

  @Test
  @Order(3)
  void theSameSignInPostOnBothNodesAtOnceGivesOneCode() {
    SoftAuthenticator authenticator = new SoftAuthenticator(nodeA);
    String userId = registerOnA("twin-sign-in", authenticator);
    List<String> losers = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      HttpLogin onA = new HttpLogin(nodeA);
      Result page = onA.open(realm.authorizationUrl(nodeA));
      Map<String, String> fields =
          Map.of(
              "passkey_response",
              authenticator.authenticate(page.options()),
              "passkey_path",
              "button");
      List<Outcome<Result>> outcomes = bothNodes(onA, onA.passkeyAction(), fields);
      assertEquals(1, codes(outcomes), "round " + i + ": exactly one code, got " + outcomes);
      losers.add(loser(outcomes));
    }
    System.out.println("duplicate sign-in POST, the other node answered: " + distinct(losers));
    assertEquals(1, webauthnCredentials(cluster.adminB(), userId));
  }

  @Test
  @Order(4)
  void aPasskeyRenamedOrDeletedOnAIsRenamedOrRefusedOnBAtOnce() {
    SoftAuthenticator authenticator = new SoftAuthenticator(nodeA);
    String userId = registerOnA("rena", authenticator);
    String passkeyId = realm.passkeys(cluster.adminA(), userId).get(0).get("id").asText();
    String path =
        "/realms/" + realm.name() + "/passkeys/v1/users/" + userId + "/passkeys/" + passkeyId;

    cluster.adminA().ok(cluster.adminA().send("PATCH", path, Map.of("name", "Renamed on A")));
    assertEquals(
        "Renamed on A", realm.passkeys(cluster.adminB(), userId).get(0).get("name").asText());
    assertTrue(
        realm
            .credentials(cluster.adminB(), userId)
            .toString()
            .contains("\"userLabel\":\"Renamed on A\""));

    assertEquals(204, cluster.adminA().delete(path).status());
    assertEquals(0, realm.passkeys(cluster.adminB(), userId).size());
    HttpLogin onB = new HttpLogin(nodeB);
    Result page = onB.open(realm.authorizationUrl(nodeB));
    Result refused = onB.passkeySignIn(authenticator.authenticate(page.options()), "button");
    assertNull(refused.code(), refused.toString());
    assertTrue(refused.isLoginPage(), refused.toString());
    assertFalse(refused.error().isEmpty(), refused.toString());
  }

  /**
   * Two valid assertions of one passkey, counters n+1 (to A) and n+2 (to B), processed at once. The
   * stored counter must end at the highest one accepted, and the higher one is never refused. The
   * lower one may be refused when the higher one was recorded first: a counter at or below the
   * stored one is exactly what WebAuthn L3 §7.2 step 22 tells a relying party to distrust.
   */
  /**
   * Issue #20 item 5: a user with two passkeys and no password deletes both at once, one on each
   * node. The last-sign-in-method guard and the delete are one step (the user's row is held), so
   * exactly one delete succeeds and the other answers 409: the user can still sign in. Several
   * rounds.
   */
  @Test
  @Order(5)
  void deletingTheLastTwoPasskeysOnBothNodesAtOnceLeavesOne() {
    for (int round = 1; round <= 5; round++) {
      String username = "last" + round;
      String userId = realm.createUser(username, PASSWORD);
      // One token per node: without a fixed hostname each node issues tokens under its own URL.
      ApiClient onA =
          new ApiClient(
              realm.realmUrl(nodeA),
              ApiClient.userToken(realm.realmUrl(nodeA), username, PASSWORD, "openid passkeys"));
      ApiClient onB =
          new ApiClient(
              realm.realmUrl(nodeB),
              ApiClient.userToken(realm.realmUrl(nodeB), username, PASSWORD, "openid passkeys"));
      SoftAuthenticator firstKey = new SoftAuthenticator(nodeA);
      String first = onA.register(firstKey, "First").get("id").asText();
      // Adding and deleting now need a session that signed in with the passkey, on each node.
      onA =
          new ApiClient(
              realm.realmUrl(nodeA),
              ApiClient.passkeyToken(
                  realm.realmUrl(nodeA), nodeA, firstKey, Tweaks.none(), "openid passkeys"));
      String second = onA.register(new SoftAuthenticator(nodeA), "Second").get("id").asText();
      onB =
          new ApiClient(
              realm.realmUrl(nodeB),
              ApiClient.passkeyToken(
                  realm.realmUrl(nodeB), nodeB, firstKey, Tweaks.none(), "openid passkeys"));
      String password =
          realm.credentials(cluster.adminA(), userId).findParents("type").stream()
              .filter(c -> "password".equals(c.path("type").asText()))
              .findFirst()
              .orElseThrow()
              .path("id")
              .asText();
      cluster
          .adminA()
          .ok(
              cluster
                  .adminA()
                  .delete(
                      "/realms/" + realm.name() + "/users/" + userId + "/credentials/" + password));
      assertEquals(
          2,
          onB.get("").json().path("passkeys").size(),
          "node B has the user cached, as after any request");

      ApiClient deleterA = onA;
      ApiClient deleterB = onB;
      List<Outcome<AdminClient.Response>> deletes =
          AtOnce.run(() -> deleterA.delete("/" + first), () -> deleterB.delete("/" + second));
      List<Integer> statuses =
          deletes.stream().map(o -> o.failed() ? -1 : o.value().status()).sorted().toList();
      assertEquals(List.of(204, 409), statuses, "round " + round + ": " + deletes);
      assertEquals(
          1,
          realm.passkeys(cluster.adminB(), userId).size(),
          "round " + round + ": one passkey is left");
    }
  }

  @Test
  @Order(6)
  void concurrentSignInsOnBothNodesNeverLowerTheStoredCounter() {
    SoftAuthenticator authenticator = new SoftAuthenticator(nodeA);
    String userId = registerOnA("count", authenticator);
    List<String> rounds = new ArrayList<>();
    List<String> lowered = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> lowerRefused = new ArrayList<>();
    long highestAccepted = 0;
    for (int i = 0; i < 10; i++) {
      HttpLogin onA = new HttpLogin(nodeA);
      HttpLogin onB = new HttpLogin(nodeB);
      Result pageA = onA.open(realm.authorizationUrl(nodeA));
      Result pageB = onB.open(realm.authorizationUrl(nodeB));
      String lower = authenticator.authenticate(pageA.options());
      String higher = authenticator.authenticate(pageB.options());
      long high = authenticator.lastCredential().signCount();
      List<Outcome<Result>> outcomes =
          AtOnce.run(
              () -> onA.passkeySignIn(lower, "button"), () -> onB.passkeySignIn(higher, "button"));
      for (int n = 0; n < 2; n++) {
        Outcome<Result> o = outcomes.get(n);
        long sent = high - 1 + n;
        if (!o.failed() && o.value().code() != null) {
          highestAccepted = Math.max(highestAccepted, sent);
        } else if (n == 0
            && !o.failed()
            && o.value().status() < 500
            && String.valueOf(o.value().error())
                .startsWith("Something went wrong with the passkey")) {
          lowerRefused.add("round " + i + " counter " + sent + "@A");
        } else {
          refused.add(
              "round "
                  + i
                  + " counter "
                  + sent
                  + "@"
                  + (n == 0 ? "A" : "B")
                  + ": "
                  + (o.failed()
                      ? o.failure()
                      : o.value().status() + " \"" + o.value().error() + "\""));
        }
      }
      long storedA = realm.counter(cluster.adminA(), userId);
      long storedB = realm.counter(cluster.adminB(), userId);
      String round =
          "round "
              + i
              + ": sent "
              + (high - 1)
              + "@A "
              + high
              + "@B, codes "
              + codes(outcomes)
              + ", stored "
              + storedA
              + "/"
              + storedB
              + ", highest accepted so far "
              + highestAccepted;
      rounds.add(round);
      if (Math.min(storedA, storedB) < highestAccepted) {
        lowered.add(round);
      }
    }
    System.out.println(
        "counter rounds: "
            + rounds
            + "; lower counter refused after the higher one: "
            + lowerRefused);
    assertTrue(
        lowered.isEmpty(),
        "the stored counter went below one already accepted (lost update): " + lowered);
    assertTrue(refused.isEmpty(), "valid concurrent sign-ins were refused: " + refused);
  }

  @Test
  @Order(7)
  void aShortSoakOfConcurrentSignInsOnBothNodesHasNoErrors() throws Exception {
    int users = 8;
    int perUser = 25;
    List<SoftAuthenticator> authenticators = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      SoftAuthenticator authenticator = new SoftAuthenticator(nodeA);
      registerOnA("soak-" + u, authenticator);
      authenticators.add(authenticator);
    }
    AtomicInteger ok = new AtomicInteger();
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(users);
    long started = System.nanoTime();
    List<Future<?>> work = new ArrayList<>();
    for (SoftAuthenticator authenticator : authenticators) {
      work.add(
          pool.submit(
              () -> {
                for (int k = 0; k < perUser; k++) {
                  String start = k % 2 == 0 ? nodeA : nodeB;
                  String finish = k % 4 < 2 ? start : (start.equals(nodeA) ? nodeB : nodeA);
                  try {
                    HttpLogin login = new HttpLogin(start);
                    Result page = login.open(realm.authorizationUrl(start));
                    Result done =
                        login
                            .via(finish)
                            .post(
                                Cluster.onNode(login.passkeyAction(), finish),
                                Map.of(
                                    "passkey_response",
                                    authenticator.authenticate(page.options()),
                                    "passkey_path",
                                    "button"));
                    if (done.code() != null) {
                      ok.incrementAndGet();
                    } else {
                      errors.add(start + "->" + finish + ": " + done);
                    }
                  } catch (RuntimeException e) {
                    errors.add(start + "->" + finish + ": " + e);
                  }
                }
              }));
    }
    for (Future<?> f : work) {
      f.get(3, TimeUnit.MINUTES);
    }
    pool.shutdown();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        "soak: " + ok.get() + " sign-ins in " + millis + " ms, errors " + errors.size());
    assertTrue(
        errors.isEmpty(),
        errors.size() + " errors, first: " + errors.subList(0, Math.min(5, errors.size())));
    assertEquals(users * perUser, ok.get());
  }

  /**
   * The save itself fails (a database trigger refuses the user's new credential row, as a database
   * that fails between the uniqueness check and the insert would): nothing of the passkey is kept,
   * the user sees the "try again" page, the failure is in the realm's events, and trying again
   * works once the database accepts the row.
   */
  @Test
  @Order(8)
  void aFailedSaveKeepsNothingAndTryingAgainWorks() {
    String userId = realm.createUser("save-fails", PASSWORD, "passkey-register");
    HttpLogin onA = new HttpLogin(nodeA);
    onA.open(realm.authorizationUrl(nodeA));
    Result registration = onA.passwordSignIn("save-fails", PASSWORD);
    assertTrue(registration.isRegistrationPage(), registration.toString());
    String response = new SoftAuthenticator(nodeA).register(registration.options());

    Result failed;
    cluster.sql(
        "CREATE FUNCTION passkeys_it_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            + "$$ BEGIN RAISE EXCEPTION 'refused by ClusterIT'; END $$");
    try {
      cluster.sql(
          "CREATE TRIGGER passkeys_it_refuse BEFORE INSERT ON credential FOR EACH ROW WHEN (NEW.user_id = '"
              + userId
              + "') EXECUTE FUNCTION passkeys_it_refuse()");
      failed = onA.register("refused", response);
    } finally {
      cluster.sql("DROP FUNCTION passkeys_it_refuse() CASCADE");
    }
    assertEquals(503, failed.status(), failed.toString());
    assertTrue(failed.isRegistrationPage(), failed.toString());
    assertEquals(
        "We couldn't save your passkey right now. Please try again in a moment.", failed.error());
    assertEquals(0, webauthnCredentials(cluster.adminB(), userId), "no credential");
    assertEquals("0", passkeyAttributeRows(userId), "no index entry, no metadata");
    JsonNode events =
        cluster
            .adminA()
            .ok(
                cluster
                    .adminA()
                    .get(
                        "/realms/"
                            + realm.name()
                            + "/events?type=UPDATE_CREDENTIAL_ERROR&user="
                            + userId));
    assertTrue(events.toString().contains("passkey_storage_unavailable"), events.toString());

    Result registered =
        onA.register("second try", new SoftAuthenticator(nodeA).register(failed.options()));
    assertNotNull(registered.code(), registered.toString());
    assertEquals(1, webauthnCredentials(cluster.adminB(), userId));
    assertEquals("2", passkeyAttributeRows(userId), "index entry and metadata");
  }

  /**
   * PostgreSQL stops after the options were issued and before the responses arrive. A registration
   * on the page and one over the app API are answered 503 with a clear "try again", save nothing,
   * and work again once the database is back: the page, from the fresh challenge it showed; the
   * app, with a new registration. The admin stats answer 503 too. A passkey sign-in during the
   * outage is only observed: it needs Keycloak's own user-session storage (see the README, "When
   * the database is down").
   */
  @Test
  @Order(9)
  void databaseGoneBeforeARegistrationIsSavedGivesAClearTryAgainAndSavesNothing() {
    String pageUser = realm.createUser("pgdown", PASSWORD, "passkey-register");
    HttpLogin onA = new HttpLogin(nodeA);
    onA.open(realm.authorizationUrl(nodeA));
    Result registration = onA.passwordSignIn("pgdown", PASSWORD);
    assertTrue(registration.isRegistrationPage(), registration.toString());
    Map<String, String> fields =
        Map.of(
            "passkey_name",
            "lost",
            "passkey_response",
            new SoftAuthenticator(nodeA).register(registration.options()));
    String action = onA.registerAction();

    String apiUser = realm.createUser("pgdown-api", PASSWORD);
    ApiClient api =
        new ApiClient(
            realm.realmUrl(nodeA),
            ApiClient.userToken(realm.realmUrl(nodeA), "pgdown-api", PASSWORD, "openid passkeys"));
    JsonNode started = api.post("", "{}").json();
    String finish = "/" + started.get("id").asText() + "/attempt_verification";
    String apiBody =
        "{\"credential\":"
            + new SoftAuthenticator(nodeA).register(started.get("publicKey").toString())
            + "}";

    SoftAuthenticator signInKey = new SoftAuthenticator(nodeA);
    registerOnA("pgdown-sign-in", signInKey);
    HttpLogin signIn = new HttpLogin(nodeA);
    String assertion = signInKey.authenticate(signIn.open(realm.authorizationUrl(nodeA)).options());

    Result failed;
    AdminClient.Response apiFailed;
    Result signInDuringOutage;
    AdminClient.Response statsFailed;
    // Getting an admin token needs the database: a token renewed during the outage would fail the
    // test.
    cluster.adminA().renewToken();
    cluster.stopDatabase();
    try {
      failed = onA.post(action, fields);
      apiFailed = api.post(finish, apiBody);
      signInDuringOutage = signIn.passkeySignIn(assertion, "button");
      statsFailed = cluster.adminA().get("/realms/" + realm.name() + "/passkeys/v1/stats");
    } finally {
      cluster.startDatabase();
      awaitDatabaseBack(); // here, so that a failure above does not fail the next tests too
    }
    System.out.println(
        "database down: registration page "
            + failed.status()
            + " \""
            + failed.error()
            + "\"; API "
            + apiFailed.status()
            + " "
            + apiFailed.body()
            + "; passkey sign-in "
            + signInDuringOutage.status()
            + " \""
            + signInDuringOutage.error()
            + "\" code "
            + (signInDuringOutage.code() != null));
    assertEquals(503, failed.status(), failed.toString());
    assertTrue(failed.isRegistrationPage(), "the registration page again: " + failed);
    assertEquals(
        "We couldn't save your passkey right now. Please try again in a moment.", failed.error());
    assertFalse(
        failed.html().contains("Exception") || failed.html().contains("at org."), "no stack trace");
    assertNotEquals(
        registration.challenge(), failed.challenge(), "a fresh challenge for trying again");
    assertEquals(503, apiFailed.status(), apiFailed.body());
    assertEquals("temporarily_unavailable", apiFailed.json().get("error").asText());
    // The admin stats read the database in a transaction of their own: a clear 503, not a 500.
    assertEquals(503, statsFailed.status(), statsFailed.body());
    assertEquals("temporarily_unavailable", statsFailed.json().get("error").asText());

    // #20 item 13: a passkey sign-in that cannot reach the database gets the sign-in page again,
    // 503.
    assertNull(signInDuringOutage.code(), signInDuringOutage.toString());
    assertEquals(503, signInDuringOutage.status(), signInDuringOutage.toString());
    assertTrue(signInDuringOutage.isLoginPage(), "the sign-in page again: " + signInDuringOutage);
    assertEquals(
        "Signing in is not possible right now. Please try again in a moment.",
        signInDuringOutage.error());
    HttpLogin again = new HttpLogin(nodeA);
    assertNotNull(
        again
            .passkeySignIn(
                signInKey.authenticate(again.open(realm.authorizationUrl(nodeA)).options()),
                "button")
            .code(),
        "signing in again works once the database is back");

    assertEquals(0, realm.passkeys(cluster.adminB(), pageUser).size(), "nothing half-saved");
    assertEquals(0, webauthnCredentials(cluster.adminA(), pageUser), "nothing half-saved");
    assertEquals(0, webauthnCredentials(cluster.adminA(), apiUser), "nothing half-saved");

    Result registered =
        onA.register("found", new SoftAuthenticator(nodeA).register(failed.options()));
    assertNotNull(registered.code(), "trying again on the page works: " + registered);
    Result replayed = onA.via(nodeB).post(Cluster.onNode(action, nodeB), fields);
    assertNull(replayed.code(), "the failed attempt cannot be replayed: " + replayed);
    assertEquals(1, webauthnCredentials(cluster.adminB(), pageUser));
    assertEquals("found", realm.passkeys(cluster.adminA(), pageUser).get(0).get("name").asText());

    assertEquals(404, api.post(finish, apiBody).status(), "the failed API registration is spent");
    api.register(new SoftAuthenticator(nodeA), "found over the API");
    assertEquals(1, webauthnCredentials(cluster.adminB(), apiUser));
  }

  /**
   * Node A issues the options of a registration and of a sign-in, then dies (SIGKILL); the
   * responses go to node B. Each ceremony completes on B, or the user gets a clean "start again"
   * that then works on B; afterwards the new user has exactly one passkey. Node A stays down: the
   * uninstall test starts it again without the extension.
   */
  @Test
  @Order(10)
  void nodeAKilledAfterIssuingTheOptionsCeremoniesFinishOnBOrStartAgainCleanly() {
    String newUser = realm.createUser("kill-reg", PASSWORD, "passkey-register");
    HttpLogin registering = new HttpLogin(nodeA);
    registering.open(realm.authorizationUrl(nodeA));
    Result registration = registering.passwordSignIn("kill-reg", PASSWORD);
    assertTrue(registration.isRegistrationPage(), registration.toString());
    SoftAuthenticator newKey = new SoftAuthenticator(nodeA);
    String created = newKey.register(registration.options());

    SoftAuthenticator authenticator = new SoftAuthenticator(nodeA);
    String userId = registerOnA("kill", authenticator);
    HttpLogin signingIn = new HttpLogin(nodeA);
    String assertion =
        authenticator.authenticate(signingIn.open(realm.authorizationUrl(nodeA)).options());

    cluster.killA();
    Result registered =
        registering
            .via(nodeB)
            .post(
                Cluster.onNode(registering.registerAction(), nodeB),
                Map.of("passkey_name", "Made on A, saved on B", "passkey_response", created));
    System.out.println("after killing A, B answered the registration: " + registered);
    if (registered.code() != null) {
      assertEquals(newUser, sub(nodeB, registered.code()));
    } else {
      assertTrue(
          (registered.isRegistrationPage() || registered.isLoginPage())
              && !registered.error().isEmpty(),
          "a clean start-again page: " + registered);
      assertEquals(0, webauthnCredentials(cluster.adminB(), newUser), "nothing half-saved");
      HttpLogin again = new HttpLogin(nodeB);
      again.open(realm.authorizationUrl(nodeB));
      Result page = again.passwordSignIn("kill-reg", PASSWORD);
      assertNotNull(again.register("again", newKey.register(page.options())).code());
    }
    assertEquals(1, webauthnCredentials(cluster.adminB(), newUser), "exactly one passkey");

    Result signedIn =
        signingIn
            .via(nodeB)
            .post(
                Cluster.onNode(signingIn.passkeyAction(), nodeB),
                Map.of("passkey_response", assertion, "passkey_path", "button"));
    System.out.println("after killing A, B answered the sign-in: " + signedIn);
    if (signedIn.code() != null) {
      assertEquals(userId, sub(nodeB, signedIn.code()));
    } else {
      assertTrue(
          signedIn.isLoginPage() && !signedIn.error().isEmpty(),
          "a clean start-again page: " + signedIn);
      HttpLogin again = new HttpLogin(nodeB);
      Result fresh = again.open(realm.authorizationUrl(nodeB));
      assertNotNull(
          again.passkeySignIn(authenticator.authenticate(fresh.options()), "button").code());
    }
    assertEquals(1, webauthnCredentials(cluster.adminB(), userId));
  }

  /**
   * Uninstalling (issue #17), as the README says: passkeys switched off, then on node A the JAR
   * removed, {@code kc.sh build}, restart. That Keycloak knows nothing of the extension, and a
   * passkey the extension registered signs in through Keycloak's own passwordless WebAuthn, with a
   * token at the end. Runs after node A was killed: it comes back without the extension.
   */
  @Test
  @Order(11)
  void afterUninstallingTheExtensionItsPasskeysSignInThroughKeycloaksOwnWebAuthn() {
    AdminClient adminB = cluster.adminB();
    String users = "/realms/" + realm.name() + "/users";
    adminB.ok(
        adminB.post(
            users,
            Map.of(
                "username",
                "una",
                "enabled",
                true,
                "email",
                "una@example.test",
                "emailVerified",
                true,
                "firstName",
                "Una",
                "lastName",
                "Uninstall",
                "requiredActions",
                List.of("passkey-register"),
                "credentials",
                List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
    String userId =
        adminB.ok(adminB.get(users + "?exact=true&username=una")).get(0).get("id").asText();
    SoftAuthenticator key = new SoftAuthenticator(nodeA);
    HttpLogin onB = new HttpLogin(nodeB);
    onB.open(realm.authorizationUrl(nodeB));
    Result registration = onB.passwordSignIn("una", PASSWORD);
    assertTrue(registration.isRegistrationPage(), registration.toString());
    assertNotNull(onB.register("Una's key", key.register(registration.options())).code());

    // Roll back first (the README's order), and give the test client a flow of Keycloak's own
    // passkey steps.
    adminB.ok(
        adminB.put("/realms/" + realm.name() + "/passkeys/v1/settings", Map.of("enabled", false)));
    String flowId =
        TestRealm.createFlow(
            adminB,
            realm.name(),
            "keycloak passwordless",
            "auth-username-form",
            "webauthn-authenticator-passwordless");
    JsonNode client =
        adminB
            .ok(
                adminB.get(
                    "/realms/" + realm.name() + "/clients?clientId=" + TestRealm.TEST_CLIENT))
            .get(0);
    ((com.fasterxml.jackson.databind.node.ObjectNode) client)
        .putObject("authenticationFlowBindingOverrides")
        .put("browser", flowId);
    adminB.ok(
        adminB.put("/realms/" + realm.name() + "/clients/" + client.get("id").asText(), client));

    cluster.uninstallFromA();
    AdminClient adminA = cluster.adminA();
    assertFalse(
        adminA
            .ok(adminA.get("/realms/" + realm.name() + "/authentication/authenticator-providers"))
            .findValuesAsText("id")
            .contains("passkey-login"),
        "node A runs without the extension");
    HttpLogin onA = new HttpLogin(nodeA);
    onA.open(realm.authorizationUrl(nodeA));
    Result keycloaksPage =
        onA.post(onA.last().formAction("kc-form-login").orElseThrow(), Map.of("username", "una"));
    assertTrue(
        BuiltInWebAuthnPages.isSignInPage(keycloaksPage),
        "Keycloak's own passkey page: " + keycloaksPage);
    Result signedIn =
        BuiltInWebAuthnPages.signIn(
            onA, key.authenticate(BuiltInWebAuthnPages.requestOptions(keycloaksPage, nodeA)));
    assertNotNull(signedIn.code(), signedIn.toString());
    assertEquals(userId, sub(nodeA, signedIn.code()));
  }

  /** Registers a passkey for a new user entirely on node A (setup for the other scenarios). */
  private static String registerOnA(String username, SoftAuthenticator authenticator) {
    String userId = realm.createUser(username, PASSWORD, "passkey-register");
    HttpLogin login = new HttpLogin(nodeA);
    login.open(realm.authorizationUrl(nodeA));
    Result registration = login.passwordSignIn(username, PASSWORD);
    assertTrue(registration.isRegistrationPage(), registration.toString());
    Result done = login.register(username + " key", authenticator.register(registration.options()));
    assertNotNull(done.code(), done.toString());
    return userId;
  }

  /** The same form POST sent to node A and node B at the same moment, by one browser. */
  private static List<Outcome<Result>> bothNodes(
      HttpLogin browser, String action, Map<String, String> fields) {
    Supplier<Result> toA = () -> browser.via(nodeA).post(Cluster.onNode(action, nodeA), fields);
    Supplier<Result> toB = () -> browser.via(nodeB).post(Cluster.onNode(action, nodeB), fields);
    return AtOnce.run(toA, toB);
  }

  private static long codes(List<Outcome<Result>> outcomes) {
    return outcomes.stream().filter(o -> !o.failed() && o.value().code() != null).count();
  }

  private static String loser(List<Outcome<Result>> outcomes) {
    return outcomes.stream()
        .filter(o -> o.failed() || o.value().code() == null)
        .map(
            o ->
                o.failed()
                    ? o.failure().toString()
                    : o.value().status() + " \"" + o.value().error() + "\"")
        .findFirst()
        .orElse("none");
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().distinct().toList();
  }

  private static long webauthnCredentials(AdminClient admin, String userId) {
    long count = 0;
    for (JsonNode credential : realm.credentials(admin, userId)) {
      count += credential.get("type").asText().startsWith("webauthn") ? 1 : 0;
    }
    return count;
  }

  /** The user's rows of the extension's own attributes (index, metadata), read in the database. */
  private static String passkeyAttributeRows(String userId) {
    return cluster.sql(
        "SELECT count(*) FROM user_attribute WHERE user_id = '"
            + userId
            + "' AND (name = 'passkeys.credential-id' OR name LIKE 'passkeys.meta.%')");
  }

  private static String sub(String node, String code) {
    return Oidc.claims(realm.exchange(node, code).get("id_token").asText()).get("sub").asText();
  }

  /** After a PostgreSQL restart, pooled connections may fail once; wait until both nodes answer. */
  private static void awaitDatabaseBack() {
    long deadline = System.currentTimeMillis() + 60_000;
    for (AdminClient admin : List.of(cluster.adminA(), cluster.adminB())) {
      while (true) {
        try {
          if (admin.get("/realms/" + realm.name()).status() == 200) {
            break;
          }
        } catch (RuntimeException | AssertionError notYet) {
          // keep trying: the admin token request may fail too
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("the nodes did not recover after PostgreSQL came back");
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
