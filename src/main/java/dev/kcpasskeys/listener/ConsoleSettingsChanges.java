package dev.kcpasskeys.listener;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.ConsoleSettings;
import dev.kcpasskeys.config.SettingsUpdate;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Follows what an admin does with passkeys in Keycloak's own admin console ({@link
 * ConsoleSettings}): saving the "Register a passkey" required action's configuration, registering
 * that required action, and binding a browser flow. Keycloak sends admin events to listeners inside
 * the request's transaction, so what this does commits or rolls back with the admin's change.
 */
final class ConsoleSettingsChanges implements EventListenerProvider {

  private static final Logger LOG = Logger.getLogger(ConsoleSettingsChanges.class);
  private static final String CONFIG_PATH =
      "authentication/required-actions/" + PasskeyIds.REQUIRED_ACTION_ID + "/config";
  private static final String ACTION_PATH =
      "authentication/required-actions/" + PasskeyIds.REQUIRED_ACTION_ID;
  private static final String REGISTER_PATH = "authentication/register-required-action";

  private final KeycloakSession session;

  ConsoleSettingsChanges(KeycloakSession session) {
    this.session = session;
  }

  @Override
  public void onEvent(Event event) {}

  @Override
  public void onEvent(AdminEvent event, boolean includeRepresentation) {
    if (event.getError() != null || event.getResourceType() == null) {
      return;
    }
    String path = event.getResourcePath() == null ? "" : event.getResourcePath();
    OperationType operation = event.getOperationType();
    ResourceType resource = event.getResourceType();
    RealmModel realm = session.realms().getRealm(event.getRealmId());
    if (realm == null) {
      return;
    }
    try {
      if (resource == ResourceType.REQUIRED_ACTION_CONFIG && path.equals(CONFIG_PATH)) {
        if (operation == OperationType.UPDATE) {
          ConsoleSettings.applySavedForm(realm, requestHost());
        } else {
          ConsoleSettings.mirror(realm); // "Clear" shows the settings in force again
        }
      } else if (resource == ResourceType.REQUIRED_ACTION
          && (path.equals(REGISTER_PATH) || path.equals(ACTION_PATH))
          && operation != OperationType.DELETE) {
        ConsoleSettings.prepareReadyFlow(realm);
      } else if (resource == ResourceType.REALM && operation == OperationType.UPDATE) {
        ConsoleSettings.followBoundFlow(realm, requestHost());
      }
    } catch (SettingsUpdate.Invalid refused) {
      LOG.warnf(
          "Passkey settings of realm %s were not changed after %s %s: %s",
          realm.getName(), operation, path, refused.getMessage());
    } catch (RuntimeException unexpected) {
      // The admin's own change stands; ours is what the settings API shows.
      LOG.errorf(
          unexpected,
          "Passkey settings of realm %s could not follow %s %s",
          realm.getName(),
          operation,
          path);
    }
  }

  private String requestHost() {
    return session.getContext().getUri().getBaseUri().getHost();
  }

  @Override
  public void close() {}
}
