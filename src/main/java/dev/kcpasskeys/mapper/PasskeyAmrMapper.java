package dev.kcpasskeys.mapper;

import dev.kcpasskeys.PasskeyIds;
import dev.kcpasskeys.notify.AmrNotes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.protocol.oidc.utils.AmrUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;

/**
 * The {@code amr} claim (RFC 8176) with what passkey sign-in adds: {@code hwk} or {@code swk},
 * {@code user}, {@code mfa}, and {@code pwd} for the password fallback on the same page. It
 * includes the values Keycloak's own AMR mapper derives from execution reference values, so it
 * replaces that mapper rather than competing with it, and names Keycloak's password and OTP steps
 * where no reference value was configured ({@link KeycloakAmrDefaults}), with {@code mfa} after a
 * second factor.
 */
public final class PasskeyAmrMapper extends AbstractOIDCProtocolMapper
    implements OIDCIDTokenMapper, OIDCAccessTokenMapper, UserInfoTokenMapper {

  public static final String PROVIDER_ID = PasskeyIds.AMR_MAPPER_ID;
  private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

  static {
    OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, PasskeyAmrMapper.class);
  }

  @Override
  public String getId() {
    return PROVIDER_ID;
  }

  @Override
  public String getDisplayType() {
    return "Authentication Method Reference (AMR) with passkeys";
  }

  @Override
  public String getDisplayCategory() {
    return TOKEN_MAPPER_CATEGORY;
  }

  @Override
  public String getHelpText() {
    return "Adds the amr claim: Keycloak's reference values plus hwk/swk, user and mfa for passkey sign-ins "
        + "and pwd for password sign-ins through the passkey login page.";
  }

  /**
   * After Keycloak's own AMR mapper (priority 0): both write {@code amr}, and ours, a superset of
   * its values, must be the one that stays when a client has both.
   */
  @Override
  public int getPriority() {
    return 100;
  }

  @Override
  public List<ProviderConfigProperty> getConfigProperties() {
    return CONFIG;
  }

  @Override
  protected void setClaim(
      IDToken token,
      ProtocolMapperModel mapping,
      UserSessionModel userSession,
      KeycloakSession session,
      ClientSessionContext clientSessionCtx) {
    Map<String, Integer> completed =
        AuthenticatorUtils.parseCompletedExecutions(
            userSession.getNote("authenticators-completed"));
    Set<String> amr =
        new LinkedHashSet<>(
            AmrUtils.getAuthenticationExecutionReferences(completed, userSession.getRealm()));
    amr.addAll(AmrNotes.parse(userSession.getNote(AmrNotes.NOTE)));
    amr.addAll(KeycloakAmrDefaults.of(completed, userSession.getRealm(), amr));
    token.getOtherClaims().put("amr", List.copyOf(amr));
  }
}
