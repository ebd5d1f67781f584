package dev.kcpasskeys.rest.admin;

import dev.kcpasskeys.config.PasskeySettings;
import dev.kcpasskeys.config.SettingsUpdate;
import dev.kcpasskeys.rest.ApiError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** {@code /admin/realms/{realm}/passkeys}: settings (and, with the API work, users' passkeys). */
public final class PasskeysAdminResource {

  private final KeycloakSession session;
  private final RealmModel realm;
  private final AdminPermissionEvaluator auth;
  private final AdminEventBuilder adminEvent;

  PasskeysAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
      AdminEventBuilder adminEvent) {
    this.session = session;
    this.realm = realm;
    this.auth = auth;
    this.adminEvent = adminEvent.resource(ResourceType.REALM);
  }

  @GET
  @Path("v1/settings")
  @Produces(MediaType.APPLICATION_JSON)
  public SettingsRepresentation settings() {
    auth.realm().requireViewRealm();
    return SettingsRepresentation.of(PasskeySettings.read(realm), browserFlowAlias());
  }

  @PUT
  @Path("v1/settings")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public SettingsRepresentation updateSettings(String json) {
    auth.realm().requireManageRealm();
    SettingsRepresentation body = SettingsRepresentation.parse(json);
    PasskeySettings saved;
    try {
      saved = body.toUpdate().applyTo(realm, session.getContext().getUri().getBaseUri().getHost());
    } catch (SettingsUpdate.Invalid e) {
      throw new ApiError(400, e.code(), e.getMessage());
    }
    PasskeysAdminTab.syncComponent(realm, saved);
    SettingsRepresentation result = SettingsRepresentation.of(saved, browserFlowAlias());
    adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri())
        .representation(result).success();
    return result;
  }

  private String browserFlowAlias() {
    return realm.getBrowserFlow() == null ? null : realm.getBrowserFlow().getAlias();
  }
}
