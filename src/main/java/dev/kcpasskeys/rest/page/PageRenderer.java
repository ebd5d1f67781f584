package dev.kcpasskeys.rest.page;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.LocaleBean;
import org.keycloak.theme.beans.MessageFormatterMethod;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

/**
 * Renders the page with the realm's login theme outside any authentication flow (so
 * LoginFormsProvider and template.ftl's layout, which need one, are not used): the same FreeMarker
 * engine, messages, theme properties and resource URLs a login page gets.
 */
final class PageRenderer {

  static final String TEMPLATE = "passkeys-manage.ftl";

  private final KeycloakSession session;
  private final RealmModel realm;

  PageRenderer(KeycloakSession session, RealmModel realm) {
    this.session = session;
    this.realm = realm;
  }

  String render(UserModel user, Map<String, Object> model) {
    return render(TEMPLATE, user, model);
  }

  /** Any of the extension's page templates; {@code user} may be null (nobody signed in). */
  String render(String template, UserModel user, Map<String, Object> model) {
    try {
      Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
      Locale locale = session.getContext().resolveLocale(user);
      Properties messages = theme.getEnhancedMessages(realm, locale);
      Properties properties = theme.getProperties();
      URI base = session.getContext().getUri().getBaseUri();
      String themeRoot = Urls.themeRoot(base).getPath();
      String common = properties.getProperty("import", "common/keycloak");
      Map<String, Object> attributes = new java.util.HashMap<>(model);
      attributes.put("msg", new MessageFormatterMethod(locale, messages));
      attributes.put("properties", properties);
      attributes.put("lang", locale.toLanguageTag());
      // Right-to-left exactly when Keycloak's login pages are (the language's own name, written
      // in its script, decides), so the page and the sign-in before it never disagree.
      boolean rtl =
          new LocaleBean(realm, locale, session.getContext().getUri().getBaseUriBuilder(), messages)
              .isRtl();
      attributes.put("dir", rtl ? "rtl" : "ltr");
      attributes.put("darkMode", Boolean.parseBoolean(properties.getProperty("darkMode", "false")));
      attributes.put(
          "realmName",
          realm.getDisplayName() == null || realm.getDisplayName().isBlank()
              ? realm.getName()
              : realm.getDisplayName());
      attributes.put(
          "url",
          Map.of(
              "resourcesPath", themeRoot + "/login/" + theme.getName(),
              "resourcesCommonPath", themeRoot + "/" + common));
      return session
          .getProvider(FreeMarkerProvider.class)
          .processTemplate(attributes, template, theme);
    } catch (IOException | FreeMarkerException e) {
      throw new IllegalStateException("could not render the passkeys page", e);
    }
  }
}
