package dev.kcpasskeys.notify;

import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.metadata.AaguidCatalog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.Urls;
import org.keycloak.urls.UrlType;

/**
 * The security e-mail "a passkey was added to / removed from your account" (realm setting {@code
 * passkeys.notify.email}, off by default). The storage gateway calls this for every add and remove,
 * so every path (registration page, nudge, app API, passkeys page, admin API) sends it.
 *
 * <p>It is sent only after the change has committed (an after-completion transaction): a change
 * that rolls back sends nothing. Sending never fails the change: a broken or unreachable mail
 * server is logged and counted, and how long a dead server can hold the request is bounded by the
 * realm's SMTP timeouts (Keycloak's default: 10 s to connect, 10 s per read or write).
 */
public final class PasskeyChangeMail {

  /** What happened to the passkey; each has its own subject, the body says which it was. */
  public enum Change {
    ADDED("passkeyMailAddedSubject"),
    REMOVED("passkeyMailRemovedSubject");

    private final String subjectKey;

    Change(String subjectKey) {
      this.subjectKey = subjectKey;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Logger LOG = Logger.getLogger(PasskeyChangeMail.class);

  /**
   * Keycloak's own template attribute: resolve the user's language from their profile, not the
   * request.
   */
  private static final String IGNORE_ACCEPT_LANGUAGE = "IGNORE_ACCEPT_LANGUAGE_HEADER";

  /**
   * html/ and text/ templates of the e-mail theme (ours live in the JAR's
   * theme-resources/templates/).
   */
  static final String TEMPLATE = "passkey-changed.ftl";

  private PasskeyChangeMail() {}

  /**
   * Schedules the e-mail for when {@code session}'s transaction (the one making the change) has
   * committed. Does nothing unless the realm asks for it and the user has a verified address: as
   * with Keycloak's own event e-mails, an unverified address may not be the user's. The passkey is
   * known by its name (empty when not known) and AAGUID: all the mail shows of it.
   */
  public static void afterCommit(
      KeycloakSession session,
      RealmModel realm,
      UserModel user,
      String passkeyName,
      Optional<UUID> aaguid,
      Change change) {
    if (!PasskeySettings.read(realm).notifyEmail()) {
      return;
    }
    if (user.getEmail() == null || user.getEmail().isBlank() || !user.isEmailVerified()) {
      LOG.debugf(
          "No passkey %s e-mail for user %s: no verified e-mail address",
          change.label(), user.getId());
      return;
    }
    String provider =
        aaguid.flatMap(AaguidCatalog.get()::find).map(AaguidCatalog.Provider::name).orElse("");
    Notice notice =
        new Notice(
            realm.getId(),
            realm.getName(),
            user.getId(),
            change,
            passkeyName,
            provider,
            Instant.now());
    session.getTransactionManager().enlistAfterCompletion(new SendWhenCommitted(session, notice));
  }

  /** Everything the e-mail says, captured when the change is made. */
  record Notice(
      String realmId,
      String realmName,
      String userId,
      Change change,
      String passkeyName,
      String provider,
      Instant at) {}

  /** Sends on commit, in a session of its own; on rollback does nothing. Never throws. */
  private static final class SendWhenCommitted extends AbstractKeycloakTransaction {
    private final KeycloakSession changeSession;
    private final Notice notice;

    SendWhenCommitted(KeycloakSession changeSession, Notice notice) {
      this.changeSession = changeSession;
      this.notice = notice;
    }

    @Override
    protected void commitImpl() {
      try {
        HttpRequest request = changeSession.getContext().getHttpRequest();
        KeycloakSessionFactory factory = changeSession.getKeycloakSessionFactory();
        KeycloakModelUtils.runJobInTransaction(factory, s -> send(s, request, notice));
      } catch (RuntimeException e) {
        // The change itself is committed; a mail that cannot be sent must not turn it into an
        // error.
        LOG.warnf(
            "Could not send the passkey %s e-mail to user %s: %s",
            notice.change().label(),
            notice.userId(),
            e.getCause() instanceof EmailException cause ? cause.getMessage() : e.toString());
        LOG.debug("Passkey e-mail failure", e);
        PasskeyMetrics.notificationEmail(notice.realmName(), notice.change().label(), "failed");
      }
    }

    @Override
    protected void rollbackImpl() {
      // the change did not happen: nothing to tell
    }
  }

  private static void send(KeycloakSession session, HttpRequest request, Notice notice) {
    RealmModel realm = session.realms().getRealm(notice.realmId());
    if (realm == null) {
      return; // deleted meanwhile
    }
    // A fresh session knows no realm or request: user lookups, themes and links need both.
    session.getContext().setRealm(realm);
    session.getContext().setHttpRequest(request);
    UserModel user = session.users().getUserById(realm, notice.userId());
    if (user == null || user.getEmail() == null || user.getEmail().isBlank()) {
      return; // deleted meanwhile
    }
    Locale locale = session.getContext().resolveLocale(user, true);
    Map<String, Object> attributes = new HashMap<>();
    attributes.put(IGNORE_ACCEPT_LANGUAGE, Boolean.TRUE);
    attributes.put("passkeyChange", notice.change().label());
    attributes.put("passkeyName", notice.passkeyName());
    attributes.put("passkeyProvider", notice.provider());
    attributes.put(
        "changedAt",
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
                .withLocale(locale)
                .withZone(ZoneOffset.UTC)
                .format(notice.at())
            + " UTC");
    attributes.put(
        "passkeysPageUrl",
        Urls.realmBase(session.getContext().getUri(UrlType.FRONTEND).getBaseUri())
            .path("{realm}/passkeys/")
            .build(realm.getName())
            .toString());
    try {
      session
          .getProvider(EmailTemplateProvider.class)
          .setRealm(realm)
          .setUser(user)
          .send(
              notice.change().subjectKey,
              List.of(singleLine(realmName(realm))),
              TEMPLATE,
              attributes);
    } catch (EmailException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    PasskeyMetrics.notificationEmail(notice.realmName(), notice.change().label(), "sent");
  }

  /** The realm's display name as Keycloak's e-mails name it. */
  private static String realmName(RealmModel realm) {
    String display = realm.getDisplayName();
    return display == null || display.isBlank() ? realm.getName() : display;
  }

  /** A subject is one header line: no line breaks or other control characters from any value. */
  static String singleLine(String value) {
    return value
        .codePoints()
        .map(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString()
        .trim();
  }
}
