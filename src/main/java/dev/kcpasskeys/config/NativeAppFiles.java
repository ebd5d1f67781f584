package dev.kcpasskeys.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the relying party's web host must serve so that native apps may use its passkeys: Android's
 * Digital Asset Links ({@code /.well-known/assetlinks.json}) and Apple's {@code
 * /.well-known/apple-app-site-association}. Made from the realm's settings, for the admin to copy:
 * an Android app's signing-certificate fingerprint is the one its {@code android:apk-key-hash:}
 * origin names.
 */
public final class NativeAppFiles {

  static final String ANDROID_PREFIX = "android:apk-key-hash:";
  private static final Pattern PACKAGE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+");
  private static final Pattern APPLE_APP_ID = Pattern.compile("[A-Z0-9]{10}\\.[A-Za-z0-9.-]+");

  private NativeAppFiles() {}

  /** A request the files cannot be made for: a stable code and a sentence. */
  public record Problem(String code, String message) {}

  /**
   * The statements of {@code assetlinks.json} for the Android app {@code packageName}: sign-in
   * credentials of this site are shared with it, for each signing certificate the realm's origins
   * name.
   */
  public static Object assetLinks(List<String> origins, String packageName) {
    List<String> fingerprints = new ArrayList<>();
    for (String origin : origins) {
      if (origin.startsWith(ANDROID_PREFIX)) {
        try {
          byte[] hash = Base64.getUrlDecoder().decode(origin.substring(ANDROID_PREFIX.length()));
          fingerprints.add(HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash));
        } catch (IllegalArgumentException notBase64) {
          // not a certificate hash: nothing to name
        }
      }
    }
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("namespace", "android_app");
    target.put("package_name", packageName);
    target.put("sha256_cert_fingerprints", fingerprints);
    return List.of(
        Map.of(
            "relation",
            List.of(
                "delegate_permission/common.handle_all_urls",
                "delegate_permission/common.get_login_creds"),
            "target",
            target));
  }

  /** Why no {@code assetlinks.json} can be made, if so. */
  public static Optional<Problem> assetLinksProblem(List<String> origins, String packageName) {
    if (packageName == null
        || packageName.length() > 255
        || !PACKAGE.matcher(packageName).matches()) {
      return Optional.of(
          new Problem(
              "invalid_request", "package_name must be an Android package name (com.example.app)"));
    }
    if (origins.stream().noneMatch(o -> o.startsWith(ANDROID_PREFIX))) {
      return Optional.of(
          new Problem(
              "no_android_origin",
              "the realm's origins name no Android app: add android:apk-key-hash:<base64url> first"));
    }
    return Optional.empty();
  }

  /** {@code apple-app-site-association}: passkeys of this site are shared with these apps. */
  public static Object appleAppSiteAssociation(List<String> appIds) {
    return Map.of("webcredentials", Map.of("apps", appIds));
  }

  /** Why no {@code apple-app-site-association} can be made, if so. */
  public static Optional<Problem> appleProblem(List<String> appIds) {
    if (appIds == null || appIds.isEmpty() || appIds.size() > 20) {
      return Optional.of(new Problem("invalid_request", "name 1 to 20 app_id values"));
    }
    for (String id : appIds) {
      if (id == null || id.length() > 255 || !APPLE_APP_ID.matcher(id).matches()) {
        return Optional.of(
            new Problem(
                "invalid_request",
                "app_id must be TEAMID.bundle.id (a 10-character team ID, e.g. ABCDE12345.com.example.app)"));
      }
    }
    return Optional.empty();
  }
}
