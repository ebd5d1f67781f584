package dev.kcpasskeys.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyLookup;
import dev.kcpasskeys.ceremony.StoredPasskey;
import dev.kcpasskeys.ceremony.UserIdentity;
import dev.kcpasskeys.ceremony.VerifiedAssertion;
import dev.kcpasskeys.notify.PasskeyChangeMail;
import dev.kcpasskeys.notify.PasskeyMetrics;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.keycloak.credential.AttestationStatementConverter;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.credential.dto.WebAuthnCredentialData;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.storage.ReadOnlyException;

/**
 * The one storage gateway for passkeys: the only class that calls {@code credentialManager()} or
 * knows the stored formats. Methods never return null.
 *
 * <p>Passkeys are Keycloak {@code webauthn-passwordless} credentials in Keycloak's own format, so
 * its account and admin consoles list them and its built-in login still works after an uninstall.
 * What that format cannot hold (BE/BS, last use, source) is a small JSON user attribute per
 * passkey, and a multi-valued user attribute indexes SHA-256 hashes of credential IDs for the
 * realm-wide uniqueness check (WebAuthn L3 §7.1 step 26). Every add and remove also schedules the
 * user's security e-mail ({@link PasskeyChangeMail}), so no path that changes passkeys can skip it.
 */
public final class PasskeyStore implements PasskeyLookup {

  static final String META_PREFIX = "passkeys.meta.";

  /**
   * Last use, epoch millis, apart from the metadata so that a sign-in overwrites it without
   * reading.
   */
  static final String LAST_USE_PREFIX = "passkeys.used.";

  static final String CREDENTIAL_INDEX = "passkeys.credential-id";
  private static final Logger LOG = Logger.getLogger(PasskeyStore.class);
  private static final int RECORD_ATTEMPTS = 4;
  private static final String USER_CACHE = "org.keycloak.models.cache.UserCache";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectConverter CONVERTER = new ObjectConverter();
  private static final Set<String> TYPES =
      Set.of(PasskeyIds.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE_TWO_FACTOR);

  private final KeycloakSession session;
  private final RealmModel realm;

  /** Per-request memo (instances live for one request): a sign-in reads the same list twice. */
  private final Map<String, List<Passkey>> listed = new HashMap<>();

  public PasskeyStore(KeycloakSession session, RealmModel realm) {
    this.session = session;
    this.realm = realm;
  }

  /** The user's passkeys (both WebAuthn credential types), oldest first. */
  public List<Passkey> list(UserModel user) {
    return listed.computeIfAbsent(
        user.getId(),
        id -> credentials(user).map(c -> toPasskey(user, c)).flatMap(Optional::stream).toList());
  }

  public Optional<Passkey> find(UserModel user, String passkeyId) {
    if (passkeyId == null) {
      return Optional.empty();
    }
    return list(user).stream().filter(p -> p.id().equals(passkeyId)).findFirst();
  }

  /**
   * The user a WebAuthn user handle names: Keycloak's user id as UTF-8, as its built-in uses it.
   */
  public Optional<UserModel> userByHandle(byte[] userHandle) {
    String id = new String(userHandle, StandardCharsets.UTF_8);
    return Optional.ofNullable(session.users().getUserById(realm, id));
  }

  public static byte[] userHandle(UserModel user) {
    return user.getId().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code user.name} = username, {@code user.displayName} = full name, else e-mail, else username.
   */
  public static UserIdentity identity(UserModel user) {
    String full =
        String.join(
                " ",
                Optional.ofNullable(user.getFirstName()).orElse(""),
                Optional.ofNullable(user.getLastName()).orElse(""))
            .trim();
    String display =
        !full.isEmpty() ? full : user.getEmail() != null ? user.getEmail() : user.getUsername();
    return new UserIdentity(PasskeyStore.userHandle(user), user.getUsername(), display);
  }

  /**
   * Runs in a transaction of its own: an attribute search always goes to the database (no cache),
   * and a failed query must not poison the request's transaction, which still has to answer.
   *
   * @throws StorageUnavailableException when the database cannot be asked
   */
  /**
   * Whether the extension's index has this credential ID: one indexed read, for the login page's
   * unknown-credential hint, which anyone can ask for and so must not cost a scan of the
   * credentials.
   */
  public boolean credentialIdIndexed(byte[] credentialId) {
    String hash = indexValue(credentialId);
    return inOwnTransaction(
        own ->
            own.database()
                .searchForUserByUserAttributeStream(own.realm, CREDENTIAL_INDEX, hash)
                .findAny()
                .isPresent());
  }

  @Override
  public boolean credentialIdExists(byte[] credentialId) {
    String hash = indexValue(credentialId);
    return inOwnTransaction(
        own -> {
          // The database provider, not Keycloak's full user search: that one logs a failed query
          // and
          // answers "none found" ("graceful degradation"), which here would read as "unique", and
          // it also
          // asks every LDAP federation, which refuses the attribute name in a filter (an error
          // logged on
          // each registration). Our attributes live in the database: federated users that do not
          // keep them
          // there keep none (see bookkeeping).
          return own.database()
                  .searchForUserByUserAttributeStream(own.realm, CREDENTIAL_INDEX, hash)
                  .findAny()
                  .isPresent()
              || JpaCredentialIds.anyHas(own.session, own.realm.getId(), TYPES, credentialId);
        });
  }

  @Override
  public Optional<StoredPasskey> findCredential(byte[] userHandle, byte[] credentialId) {
    return userByHandle(userHandle)
        .flatMap(u -> findByCredentialId(u, credentialId))
        .map(Passkey::stored);
  }

  /**
   * The user's passkey with this WebAuthn credential ID; builds only that one (see {@link
   * StoredCredentialId}).
   */
  public Optional<Passkey> findByCredentialId(UserModel user, byte[] credentialId) {
    List<Passkey> known = listed.get(user.getId());
    if (known != null) {
      return known.stream().filter(p -> p.stored().hasCredentialId(credentialId)).findFirst();
    }
    return credentials(user)
        .filter(c -> StoredCredentialId.matches(c.getCredentialData(), credentialId))
        .findFirst()
        .flatMap(c -> toPasskey(user, c));
  }

  /**
   * WebAuthn L3 §7.1 step 26 across the cluster: claims a verified credential id in Keycloak's
   * single-use store before saving, so two nodes saving the same id at once cannot both succeed
   * (the index lookup in {@link #credentialIdExists} alone would race). False: someone has it.
   */
  public boolean claimCredentialId(byte[] credentialId) {
    return session
        .getProvider(SingleUseObjectProvider.class)
        .putIfAbsent(claimKey(credentialId), 300);
  }

  /**
   * Gives a claim back after a save that did not happen, so that a later attempt is not refused.
   */
  public void releaseCredentialId(byte[] credentialId) {
    session.getProvider(SingleUseObjectProvider.class).remove(claimKey(credentialId));
  }

  private String claimKey(byte[] credentialId) {
    return "passkeys.credential." + realm.getId() + "." + indexValue(credentialId);
  }

  /**
   * Saves a verified registration (credential, metadata and index entry) in a transaction of its
   * own, committed before this returns: all of it or, when the database fails, none of it, and a
   * failure leaves the request's transaction clean so the caller can still answer with a page or a
   * 503 (a failure inside the request's transaction would fail its commit: a 500).
   *
   * @param name picks the passkey's name given the user's current passkeys (read in the same
   *     transaction)
   * @throws StorageUnavailableException nothing was saved
   */
  public Passkey save(
      UserModel user, StoredPasskey stored, Function<List<Passkey>, String> name, String source) {
    listed.remove(user.getId());
    Passkey saved =
        inOwnTransaction(
            own -> {
              UserModel ownUser = own.session.users().getUserById(own.realm, user.getId());
              if (ownUser == null) {
                throw new IllegalStateException("user " + user.getId() + " no longer exists");
              }
              return own.add(ownUser, stored, name.apply(own.list(ownUser)), source);
            });
    PasskeyMetrics.registration(realm.getName(), source);
    forgetCachedUser(session, realm, user); // the rest of this request reads the user as just saved
    return saved;
  }

  private Passkey add(UserModel user, StoredPasskey stored, String name, String source) {
    listed.remove(user.getId());
    WebAuthnCredentialModel model =
        WebAuthnCredentialModel.create(
            PasskeyIds.CREDENTIAL_TYPE,
            name,
            stored.aaguid().map(UUID::toString).orElse(new UUID(0, 0).toString()),
            Base64.getEncoder().encodeToString(stored.credentialId()),
            new AttestationStatementConverter(CONVERTER)
                .convertToDatabaseColumn(new NoneAttestationStatement()),
            Base64.getUrlEncoder().withoutPadding().encodeToString(stored.cosePublicKey()),
            stored.signCount(),
            "none",
            stored.transports());
    model.setCreatedDate(System.currentTimeMillis());
    CredentialModel created = user.credentialManager().createStoredCredential(model);
    PasskeyMetadata metadata =
        new PasskeyMetadata(
            PasskeyMetadata.CURRENT_VERSION,
            stored.backupEligible().orElse(false),
            stored.backupState(),
            stored.uvInitialized(),
            0,
            source);
    writeMetadata(user, created.getId(), metadata);
    List<String> index =
        Stream.concat(
                user.getAttributeStream(CREDENTIAL_INDEX),
                Stream.of(indexValue(stored.credentialId())))
            .distinct()
            .toList();
    bookkeeping(user, () -> user.setAttribute(CREDENTIAL_INDEX, index));
    Passkey passkey = toPasskey(user, created).orElseThrow();
    PasskeyChangeMail.afterCommit(
        session, realm, user, passkey.name(), passkey.aaguid(), PasskeyChangeMail.Change.ADDED);
    return passkey;
  }

  /**
   * Records an accepted assertion when {@link SignInRecord#needed} says so: the presented counter
   * (never lower than what is stored), BS and last use. WebAuthn L3 §7.2 step 23 leaves the update
   * to us; under concurrency (two nodes verifying two assertions of one passkey at once) a plain
   * read-modify-write loses updates, so this runs in its own short transaction that re-reads the
   * stored counter, writes the maximum, and retries on a version conflict. A verified sign-in never
   * fails because of this bookkeeping.
   */
  public void recordSignIn(UserModel user, Passkey passkey, VerifiedAssertion assertion) {
    long now = System.currentTimeMillis();
    switch (SignInRecord.needed(passkey, assertion.newSignCount(), assertion.backupState(), now)) {
      case NOTHING -> {}
      case LAST_USE -> recordLastUse(user, passkey, now);
      case COUNTER_OR_FLAGS -> recordCounterAndFlags(user, passkey, assertion);
    }
  }

  /**
   * Last use alone, in this request's transaction, straight to the database: no cache eviction, so
   * the user stays cached for the token request that follows and for the next sign-in. Cached
   * copies keep an older last use; {@link #listWithUsage} reads the database.
   *
   * <p>Whether a write is due is decided twice. First a cluster-wide marker in Keycloak's
   * single-use store: without it, every sign-in of a passkey whose cached copy shows an old last
   * use would run a statement (the benchmark measured one such UPDATE, even matching no row, at
   * about a tenth of a sign-in's cost on PostgreSQL). Then the UPDATE's own condition ({@link
   * JpaAttributeUpdate}), so that a lost marker or two nodes racing never write twice within the
   * resolution.
   */
  private void recordLastUse(UserModel user, Passkey passkey, long now) {
    String recentlyRecorded = "passkeys.last-use." + realm.getId() + "." + passkey.id();
    if (!session
        .getProvider(SingleUseObjectProvider.class)
        .putIfAbsent(recentlyRecorded, SignInRecord.LAST_USE_RESOLUTION.toSeconds())) {
      return;
    }
    String name = LAST_USE_PREFIX + passkey.id();
    String olderThan = Long.toString(now - SignInRecord.LAST_USE_RESOLUTION.toMillis());
    switch (JpaAttributeUpdate.overwriteIfOlder(
        session, user.getId(), name, Long.toString(now), olderThan)) {
      case WRITTEN -> {} // the usual case: one UPDATE
      case NOTHING_CHANGED -> {
        // Recorded within the resolution by a sign-in this cached copy has not seen; or no value
        // yet
        // (the passkey's first sign-in), which the copy, read before, would show as missing too.
        if (user.getFirstAttribute(name) == null) {
          writeLastUseThroughModel(user, name, now);
        }
      }
      case USE_USER_MODEL -> writeLastUseThroughModel(user, name, now);
    }
  }

  private void writeLastUseThroughModel(UserModel user, String name, long now) {
    UserModel stored = database().getUserById(realm, user.getId());
    if (stored == null) {
      return; // a user storage provider that keeps no local copy: nowhere to record it
    }
    String previous = stored.getFirstAttribute(name);
    if (!SignInRecord.lastUseDue(parseMillis(previous), now)) {
      return;
    }
    LOG.debugf("Last use of passkey %s written through the user model", name);
    stored.setSingleAttribute(name, Long.toString(now));
    if (previous == null) {
      // The cached copy lacks the new attribute; once it has it, sign-ins take the one-UPDATE path.
      forgetCachedUser(session, realm, user);
    }
  }

  private void recordCounterAndFlags(UserModel user, Passkey passkey, VerifiedAssertion assertion) {
    listed.remove(user.getId());
    for (int attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
      try {
        KeycloakModelUtils.runJobInTransaction(
            session.getKeycloakSessionFactory(),
            session.getContext(),
            s ->
                new PasskeyStore(s, s.realms().getRealm(realm.getId()))
                    .recordInThisTransaction(user.getId(), passkey, assertion));
        forgetCachedUser(session, realm, user);
        return;
      } catch (RuntimeException conflict) {
        LOG.debugf(
            "Recording a sign-in of passkey %s conflicted (attempt %d): %s",
            passkey.id(), attempt, conflict.getClass().getSimpleName());
      }
    }
    LOG.warnf(
        "Could not record the sign-in of passkey %s of user %s after %d attempts",
        passkey.id(), user.getId(), RECORD_ATTEMPTS);
  }

  private void recordInThisTransaction(
      String userId, Passkey passkey, VerifiedAssertion assertion) {
    // Read the database, not the user cache: deciding on a cached (stale) counter would let a
    // lower counter overwrite a higher one that another node has just committed.
    UserModel user = database().getUserById(realm, userId);
    CredentialModel model =
        user == null ? null : user.credentialManager().getStoredCredentialById(passkey.id());
    if (model == null) {
      return; // deleted meanwhile
    }
    StoredPasskey updated = assertion.updatedPasskey(); // step 23 as the ceremony decides it
    WebAuthnCredentialModel webauthn = WebAuthnCredentialModel.createFromCredentialModel(model);
    if (updated.signCount() > webauthn.getWebAuthnCredentialData().getCounter()) {
      webauthn.updateCounter(updated.signCount());
      user.credentialManager().updateStoredCredential(webauthn);
    }
    PasskeyMetadata current = readMetadata(user, passkey.id());
    writeMetadata(
        user,
        passkey.id(),
        current.usedAt(
            System.currentTimeMillis(),
            updated.backupState(),
            updated.backupEligible().orElse(assertion.backupEligible())));
    forgetCachedUser(
        session, realm, user); // on every node: the next read sees what was just written
  }

  /**
   * Runs {@code work} on a store of a new session, in its own transaction; any failure rolls it
   * back.
   */
  private <T> T inOwnTransaction(Function<PasskeyStore, T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    try {
      KeycloakModelUtils.runJobInTransaction(
          session.getKeycloakSessionFactory(),
          session.getContext(),
          s -> result.set(work.apply(new PasskeyStore(s, s.realms().getRealm(realm.getId())))));
    } catch (RuntimeException e) {
      throw new StorageUnavailableException(e);
    }
    return result.get();
  }

  /**
   * Drops the user from Keycloak's user cache (cluster-wide). Needed after a change made in a
   * separate transaction, which the request's own session would otherwise not see.
   */
  public static void forgetCachedUser(KeycloakSession session, RealmModel realm, UserModel user) {
    // UserCache lives in keycloak-model-storage, whose 26.7.3 POM is not on Maven Central, so we
    // cannot compile against it; it is on Keycloak's class path at run time.
    try {
      Class<? extends org.keycloak.provider.Provider> type =
          Class.forName(USER_CACHE).asSubclass(org.keycloak.provider.Provider.class);
      Object cache = session.getProvider(type);
      if (cache != null) {
        type.getMethod("evict", RealmModel.class, UserModel.class).invoke(cache, realm, user);
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      LOG.debugf("No user cache to evict from: %s", e.toString());
    }
  }

  public void rename(UserModel user, Passkey passkey, String name) {
    listed.remove(user.getId());
    user.credentialManager().updateCredentialLabel(passkey.id(), name);
  }

  /**
   * After Keycloak itself added or removed a WebAuthn credential of this user (its consoles, its
   * required actions), in this session: the metadata and last use of credentials that are gone are
   * removed, and the uniqueness index holds exactly the credential IDs of the user's WebAuthn
   * credentials (Keycloak's own included, so no one can register them again). Returns the ids of
   * the credentials that were gone.
   */
  public List<String> reconcile(UserModel user) {
    listed.remove(user.getId());
    List<Passkey> current = list(user);
    Set<String> present =
        current.stream().map(Passkey::id).collect(java.util.stream.Collectors.toSet());
    List<String> gone =
        user.getAttributes().keySet().stream()
            .flatMap(
                name ->
                    Stream.of(META_PREFIX, LAST_USE_PREFIX)
                        .filter(name::startsWith)
                        .map(prefix -> name.substring(prefix.length())))
            .filter(id -> !present.contains(id))
            .distinct()
            .toList();
    for (String id : gone) {
      bookkeeping(
          user,
          () -> {
            user.removeAttribute(META_PREFIX + id);
            user.removeAttribute(LAST_USE_PREFIX + id);
          });
    }
    List<String> index =
        current.stream()
            .map(p -> indexValue(p.stored().credentialId()))
            .distinct()
            .sorted()
            .toList();
    if (!Set.copyOf(index).equals(Set.copyOf(user.getAttributeStream(CREDENTIAL_INDEX).toList()))) {
      bookkeeping(user, () -> user.setAttribute(CREDENTIAL_INDEX, index));
    }
    return gone;
  }

  public void remove(UserModel user, Passkey passkey) {
    listed.remove(user.getId());
    user.credentialManager().removeStoredCredentialById(passkey.id());
    String hash = indexValue(passkey.stored().credentialId());
    bookkeeping(
        user,
        () -> {
          user.removeAttribute(META_PREFIX + passkey.id());
          user.removeAttribute(LAST_USE_PREFIX + passkey.id());
          user.setAttribute(
              CREDENTIAL_INDEX,
              user.getAttributeStream(CREDENTIAL_INDEX).filter(v -> !v.equals(hash)).toList());
        });
    PasskeyChangeMail.afterCommit(
        session, realm, user, passkey.name(), passkey.aaguid(), PasskeyChangeMail.Change.REMOVED);
  }

  /**
   * The user's passkeys with their last use as the database has it, for what shows it (passkeys
   * page, APIs): sign-ins record last use without refreshing the user cache.
   */
  public List<Passkey> listWithUsage(UserModel user) {
    UserModel stored =
        Optional.ofNullable(database().getUserById(realm, user.getId())).orElse(user);
    return credentials(user).map(c -> toPasskey(stored, c)).flatMap(Optional::stream).toList();
  }

  public Optional<Passkey> findWithUsage(UserModel user, String passkeyId) {
    return listWithUsage(user).stream().filter(p -> p.id().equals(passkeyId)).findFirst();
  }

  /**
   * Every passkey of the realm's users (service accounts excluded), for the admin stats: two
   * queries on Keycloak's database ({@link JpaPasskeyCensus}), in a read-only transaction of their
   * own; without a JPA store, a walk over the users.
   */
  public List<PasskeySummary> summaries() {
    return inOwnTransaction(own -> JpaPasskeyCensus.of(own.session, realm.getId(), TYPES))
        .orElseGet(this::summariesOfEveryUser);
  }

  private List<PasskeySummary> summariesOfEveryUser() {
    List<PasskeySummary> all = new ArrayList<>();
    session
        .users()
        .searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"))
        .forEach(
            user ->
                list(user)
                    .forEach(
                        p -> all.add(new PasskeySummary(user.getId(), p.aaguid(), p.synced()))));
    return all;
  }

  /** Keycloak's JPA user store itself, under its cache (the cache when there is no JPA store). */
  private UserProvider database() {
    return Optional.ofNullable(session.getProvider(UserProvider.class, "jpa"))
        .orElse(session.users());
  }

  /**
   * Holds the user's database row until this transaction ends ({@code SELECT ... FOR UPDATE}) and
   * returns the user as the database has it once the row is held. A decision taken after it (is
   * this passkey the user's last way to sign in?) and the change it allows are then one step on
   * every node: a second change to the same user waits for the first to commit and then sees it.
   * Without a JPA store, or for a user without a local row (federated without import), there is no
   * row to hold.
   */
  public UserModel lockAndRead(UserModel user) {
    EntityManager em = KeycloakJpa.entityManager(session);
    if (em != null) {
      em.createQuery("select u from UserEntity u where u.id = :id")
          .setParameter("id", user.getId())
          .setLockMode(LockModeType.PESSIMISTIC_WRITE)
          .getResultList();
    }
    forgetCachedUser(session, realm, user); // the cached copy may predate the change we waited for
    listed.remove(user.getId());
    return Optional.ofNullable(session.users().getUserById(realm, user.getId())).orElse(user);
  }

  /** Whether the user has a credential that signs in on its own here (a password or a passkey). */
  public static boolean hasFirstFactorCredential(UserModel user) {
    return user.credentialManager().getFirstFactorCredentialsStream().findAny().isPresent();
  }

  /** Whether the user can still sign in some other way than with this passkey. */
  public boolean hasOtherSignInMethod(UserModel user, Passkey passkey) {
    boolean otherPasskey =
        list(user).stream()
            .anyMatch(
                p -> !p.id().equals(passkey.id()) && p.type().equals(PasskeyIds.CREDENTIAL_TYPE));
    boolean password =
        user.credentialManager().getStoredCredentialsByTypeStream("password").findAny().isPresent();
    return otherPasskey
        || password
        || user.getFederationLink() != null
        || session.users().getFederatedIdentitiesStream(realm, user).findAny().isPresent();
  }

  private Stream<CredentialModel> credentials(UserModel user) {
    return user.credentialManager()
        .getStoredCredentialsStream()
        .filter(c -> TYPES.contains(c.getType()));
  }

  private Optional<Passkey> toPasskey(UserModel user, CredentialModel model) {
    try {
      WebAuthnCredentialData data =
          WebAuthnCredentialModel.createFromCredentialModel(model).getWebAuthnCredentialData();
      byte[] credentialId = Base64.getMimeDecoder().decode(data.getCredentialId());
      byte[] cose = decodeBase64Url(data.getCredentialPublicKey());
      PasskeyMetadata metadata = readMetadata(user, model.getId());
      StoredPasskey stored =
          new StoredPasskey(
              credentialId,
              userHandle(user),
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
  private PasskeyMetadata readMetadata(UserModel user, String credentialModelId) {
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

  private static long parseMillis(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException garbled) {
      return 0;
    }
  }

  private void writeMetadata(UserModel user, String credentialModelId, PasskeyMetadata metadata) {
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
  private static void bookkeeping(UserModel user, Runnable write) {
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
  public static String indexValue(byte[] credentialId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(credentialId);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
