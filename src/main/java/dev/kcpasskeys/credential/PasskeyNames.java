package dev.kcpasskeys.credential;

import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Passkey names: 1–64 characters after trimming and NFC, any script and emoji, but no control
 * characters and no bidi overrides or isolates (which can make a name display as something else).
 * Names are stored verbatim and escaped by every sink that shows them.
 */
public final class PasskeyNames {

  public static final int MAX_LENGTH = 64;

  /** The outcome of validating a name: the normalized name, or a message key saying why not. */
  public record Result(Optional<String> name, Optional<String> errorKey) {
    static Result ok(String name) {
      return new Result(Optional.of(name), Optional.empty());
    }

    static Result error(String key) {
      return new Result(Optional.empty(), Optional.of(key));
    }

    public boolean valid() {
      return name.isPresent();
    }
  }

  private PasskeyNames() {}

  public static Result validate(String raw) {
    if (raw == null) {
      return Result.error("passkeyNameRequired");
    }
    String name = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    if (name.isEmpty() || name.codePoints().allMatch(PasskeyNames::invisible)) {
      return Result.error("passkeyNameRequired"); // a name that renders as nothing is no name (#20)
    }
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      return Result.error("passkeyNameTooLong");
    }
    if (name.codePoints().anyMatch(PasskeyNames::forbidden)) {
      return Result.error("passkeyNameInvalidCharacters");
    }
    return Result.ok(name);
  }

  static boolean forbidden(int cp) {
    boolean bidiControl =
        (cp >= 0x202A && cp <= 0x202E)
            || (cp >= 0x2066 && cp <= 0x2069)
            || cp == 0x200E
            || cp == 0x200F
            || cp == 0x061C;
    int type = Character.getType(cp);
    boolean control =
        type == Character.CONTROL
            || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR
            || type == Character.UNASSIGNED
            || type == Character.SURROGATE
            || type == Character.PRIVATE_USE;
    return bidiControl || control;
  }

  /**
   * A default name that does not repeat one the user already has: the provider's name from the
   * AAGUID when known, else browser and OS from the User-Agent, with " 2", " 3", ... when taken.
   */
  public static String uniqueDefault(
      Optional<String> providerName, String userAgent, Collection<String> existing) {
    String base = providerName.filter(s -> !s.isBlank()).orElseGet(() -> fromUserAgent(userAgent));
    base = base.length() > MAX_LENGTH - 4 ? base.substring(0, MAX_LENGTH - 4) : base;
    String candidate = base;
    for (int n = 2; existing.stream().anyMatch(candidate::equalsIgnoreCase); n++) {
      candidate = base + " " + n;
    }
    return candidate;
  }

  static String fromUserAgent(String userAgent) {
    String ua = userAgent == null ? "" : userAgent.toLowerCase(Locale.ROOT);
    String browser =
        ua.contains("edg/")
            ? "Edge"
            : ua.contains("firefox/")
                ? "Firefox"
                : ua.contains("chrome/") || ua.contains("chromium/")
                    ? "Chrome"
                    : ua.contains("safari/") ? "Safari" : null;
    String os =
        ua.contains("android")
            ? "Android"
            : ua.contains("iphone") || ua.contains("ipad")
                ? "iOS"
                : ua.contains("mac os x")
                    ? "macOS"
                    : ua.contains("windows")
                        ? "Windows"
                        : ua.contains("cros") ? "ChromeOS" : ua.contains("linux") ? "Linux" : null;
    if (browser != null && os != null) {
      return browser + " on " + os;
    }
    return browser != null ? browser : os != null ? os : "Passkey";
  }

  /**
   * Renders as nothing: white space, format characters (zero-width space, joiners, marks) and blank
   * fillers.
   */
  private static boolean invisible(int cp) {
    int type = Character.getType(cp);
    return Character.isWhitespace(cp)
        || Character.isSpaceChar(cp)
        || type == Character.FORMAT
        || cp == 0x115F
        || cp == 0x1160
        || cp == 0x3164
        || cp == 0xFFA0
        || cp == 0x2800;
  }
}
