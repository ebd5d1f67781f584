package dev.kcpasskeys.listener;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.credential.PasskeyStore;
import dev.kcpasskeys.notify.PasskeyChangeMail;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Keeps the extension's per-user state in step with WebAuthn credentials that Keycloak itself adds
 * or removes: its admin console (Credentials tab), its account console and its own required
 * actions. After such a change the user's {@code passkeys.*} attributes follow the credentials the
 * user has ({@link PasskeyStore#reconcile}), so a deleted passkey leaves no metadata, no last use
 * and no entry in the uniqueness index (and the login page can tell the browser to forget it), and
 * a passkey Keycloak registered is in the index. A removal also sends the security e-mail when the
 * realm asks for it. Changes the extension makes itself keep their own bookkeeping; here they find
 * nothing left to do.
 */
final class KeycloakCredentialChanges implements EventListenerProvider {

  private static final Logger LOG = Logger.getLogger(KeycloakCredentialChanges.class);
  private static final Set<String> WEBAUTHN_TYPES =
      Set.of(PasskeyIds.CREDENTIAL_TYPE, PasskeyIds.CREDENTIAL_TYPE_TWO_FACTOR);

  /** The admin API's credential resource: {@code users/{userId}/credentials/{credentialId}}. */
  private static final Pattern CREDENTIAL_PATH =
      Pattern.compile("^users/([^/]+)/credentials/([^/]+)$");

  /**
   * Every event the extension sends about a passkey carries its name under one of these keys. Those
   * changes were made in transactions of their own, which this request's (possibly cached) view of
   * the user may not show yet; their bookkeeping is done already, so they are left alone.
   */
  private static final Set<String> OWN_EVENT_DETAILS = Set.of("credential_name", "new_name");

  private final KeycloakSession session;

  KeycloakCredentialChanges(KeycloakSession session) {
    this.session = session;
  }

  @Override
  public void onEvent(Event event) {
    String type =
        event.getDetails() == null ? null : event.getDetails().get(Details.CREDENTIAL_TYPE);
    if (event.getError() != null
        || event.getUserId() == null
        || type == null
        || !WEBAUTHN_TYPES.contains(type)
        || OWN_EVENT_DETAILS.stream().anyMatch(event.getDetails()::containsKey)) {
      return;
    }
    if (event.getType() == EventType.REMOVE_CREDENTIAL
        || event.getType() == EventType.UPDATE_CREDENTIAL) {
      followCredentials(
          event.getRealmId(),
          event.getUserId(),
          Optional.ofNullable(event.getDetails().get(Details.CREDENTIAL_USER_LABEL)).orElse(""));
    }
  }

  /**
   * Keycloak's admin API records a credential's removal as an ACTION on the credential, with its
   * type and label.
   */
  @Override
  public void onEvent(AdminEvent event, boolean includeRepresentation) {
    if (event.getResourcePath() == null || event.getError() != null) {
      return;
    }
    Matcher credential = CREDENTIAL_PATH.matcher(event.getResourcePath());
    Map<String, String> details = event.getDetails() == null ? Map.of() : event.getDetails();
    String type = details.get(Details.CREDENTIAL_TYPE);
    if (credential.matches()
        && (event.getOperationType() == OperationType.ACTION
            || event.getOperationType() == OperationType.DELETE)
        && (type == null || WEBAUTHN_TYPES.contains(type))) {
      followCredentials(
          event.getRealmId(),
          credential.group(1),
          Optional.ofNullable(details.get(Details.CREDENTIAL_USER_LABEL)).orElse(""));
    }
  }

  private void followCredentials(String realmId, String userId, String removedName) {
    try {
      RealmModel realm = session.realms().getRealm(realmId);
      if (!PasskeySettings.everConfigured(realm)) {
        return;
      }
      UserModel user = session.users().getUserById(realm, userId);
      if (user == null) {
        return;
      }
      List<String> gone = new PasskeyStore(session, realm).reconcile(user);
      for (String ignored : gone) {
        PasskeyChangeMail.afterCommit(
            session, realm, user, removedName, Optional.empty(), PasskeyChangeMail.Change.REMOVED);
      }
    } catch (RuntimeException e) {
      // Bookkeeping only: Keycloak's own change has been made and must stand.
      LOG.warnf(
          "Could not update passkey records of user %s after a change outside the extension: %s",
          userId, e.toString());
    }
  }

  @Override
  public void close() {}
}
