package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.config.ConsoleSettings;
import dev.kcpasskeys.config.PasskeyFlowInstaller;
import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.SettingsUpdate;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Mounts {@code /admin/realms/{realm}/passkeys}. Also wires realms created or imported with {@code
 * "passkeys.enabled": "true"} in their attributes, so a realm JSON (GitOps, the demo, docker/)
 * switches passkeys on without a separate admin call.
 */
public final class PasskeysAdminResourceProviderFactory
    implements AdminRealmResourceProviderFactory {

  @Override
  public String getId() {
    return PasskeyIds.RESOURCE_ID;
  }

  @Override
  public AdminRealmResourceProvider create(KeycloakSession session) {
    return new AdminRealmResourceProvider() {
      @Override
      public Object getResource(
          KeycloakSession s,
          RealmModel realm,
          AdminPermissionEvaluator auth,
          AdminEventBuilder adminEvent) {
        return new PasskeysAdminResource(s, realm, auth, adminEvent);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void init(Config.Scope config) {}

  @Override
  public void postInit(KeycloakSessionFactory factory) {
    factory.register(
        event -> {
          if (event instanceof RealmModel.RealmPostCreateEvent created) {
            RealmModel realm = created.getCreatedRealm();
            PasskeySettings settings = PasskeySettings.read(realm);
            if (settings.enabled()) {
              try {
                PasskeyFlowInstaller.enable(realm, settings);
              } catch (SettingsUpdate.Invalid refused) {
                // The import goes on with passkeys off, rather than with a flow that lost a step.
                Logger.getLogger(PasskeysAdminResourceProviderFactory.class)
                    .warnf(
                        "Realm %s was imported with passkeys.enabled=true, but %s",
                        realm.getName(), refused.getMessage());
                settings.withEnabled(false, settings.previousBrowserFlow()).write(realm);
              }
              ConsoleSettings.mirror(realm);
            }
          }
        });
  }

  @Override
  public void close() {}
}
