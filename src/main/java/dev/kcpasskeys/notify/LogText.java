package dev.kcpasskeys.notify;

/**
 * Text that came from a request (a passkey name, a client-reported value), made safe for one log
 * line: control, line-separator and bidi-override characters become '?', so that a value cannot
 * start a forged log line or reorder what a reader sees, and long values are cut.
 */
public final class LogText {

  static final int MAX = 200;

  private LogText() {}

  public static String of(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.toString();
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX + 1));
    text.codePoints().limit(MAX).forEach(cp -> safe.appendCodePoint(unsafe(cp) ? '?' : cp));
    if (text.codePointCount(0, text.length()) > MAX) {
      safe.append('…');
    }
    return safe.toString();
  }

  private static boolean unsafe(int cp) {
    int type = Character.getType(cp);
    return Character.isISOControl(cp)
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0x200E
        || cp == 0x200F
        || cp == 0x061C;
  }
}
