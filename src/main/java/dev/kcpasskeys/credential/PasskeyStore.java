package dev.kcpasskeys.credential;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.ceremony.PasskeyLookup;
import dev.kcpasskeys.ceremony.StoredPasskey;
import dev.kcpasskeys.ceremony.UserIdentity;
import dev.kcpasskeys.ceremony.VerifiedAssertion;
import dev.kcpasskeys.ceremony.VerifiedRegistration;
import dev.kcpasskeys.notify.PasskeyChangeMail;
import dev.kcpasskeys.notify.PasskeyMetrics;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
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
import org.keycloak.models.utils.KeycloakModelUtils;

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

  static final String META_PREFIX = StoredFormat.META_PREFIX;

  /**
   * Last use, epoch millis, apart from the metadata so that a sign-in overwrites it without
   * reading.
   */
  static final String LAST_USE_PREFIX = StoredFormat.LAST_USE_PREFIX;

  static final String CREDENTIAL_INDEX = StoredFormat.CREDENTIAL_INDEX;
  private static final Logger LOG = Logger.getLogger(PasskeyStore.class);
  private static final String USER_CACHE = "org.keycloak.models.cache.UserCache";
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

  RealmModel realm() {
    return realm;
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
      UserModel user,
      VerifiedRegistration verified,
      Function<List<Passkey>, String> name,
      String source) {
    listed.remove(user.getId());
    Passkey saved =
        inOwnTransaction(
            own -> {
              UserModel ownUser = own.session.users().getUserById(own.realm, user.getId());
              if (ownUser == null) {
                throw new IllegalStateException("user " + user.getId() + " no longer exists");
              }
              return own.add(ownUser, verified, name.apply(own.list(ownUser)), source);
            });
    PasskeyMetrics.registration(realm.getName(), source);
    forgetCachedUser(session, realm, user); // the rest of this request reads the user as just saved
    return saved;
  }

  private Passkey add(UserModel user, VerifiedRegistration verified, String name, String source) {
    StoredPasskey stored = verified.passkey();
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
            source,
            verified.modelVerified());
    StoredFormat.writeMetadata(user, created.getId(), metadata);
    List<String> index =
        Stream.concat(
                user.getAttributeStream(CREDENTIAL_INDEX),
                Stream.of(indexValue(stored.credentialId())))
            .distinct()
            .toList();
    StoredFormat.bookkeeping(user, () -> user.setAttribute(CREDENTIAL_INDEX, index));
    Passkey passkey = toPasskey(user, created).orElseThrow();
    PasskeyChangeMail.afterCommit(
        session, realm, user, passkey.name(), passkey.aaguid(), PasskeyChangeMail.Change.ADDED);
    return passkey;
  }

  /**
   * Records an accepted assertion: the counter, the backup flags and the last use, as {@link
   * SignInRecording} decides. A verified sign-in never fails because of this bookkeeping.
   */
  public void recordSignIn(UserModel user, Passkey passkey, VerifiedAssertion assertion) {
    listed.remove(user.getId());
    new SignInRecording(session, realm, database()).record(user, passkey, assertion);
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
      StoredFormat.bookkeeping(
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
      StoredFormat.bookkeeping(user, () -> user.setAttribute(CREDENTIAL_INDEX, index));
    }
    return gone;
  }

  public void remove(UserModel user, Passkey passkey) {
    listed.remove(user.getId());
    user.credentialManager().removeStoredCredentialById(passkey.id());
    String hash = indexValue(passkey.stored().credentialId());
    StoredFormat.bookkeeping(
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
    return SignInRecording.database(session);
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
    return StoredFormat.toPasskey(user, model);
  }

  private PasskeyMetadata readMetadata(UserModel user, String credentialModelId) {
    return StoredFormat.readMetadata(user, credentialModelId);
  }

  /** SHA-256 of the credential ID, base64url: the value of the uniqueness index. */
  public static String indexValue(byte[] credentialId) {
    return StoredFormat.indexValue(credentialId);
  }
}
