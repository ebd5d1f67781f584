package dev.kcpasskeys.ceremony;

import dev.kcpasskeys.testing.SoftAuthenticator;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text-level edits of response JSON that no well-behaved browser would produce. */
final class JsonSurgery {

  private static final Pattern CLIENT_DATA = Pattern.compile("\"clientDataJSON\":\"([^\"]*)\"");

  private JsonSurgery() {}

  /** Rewrites the decoded clientDataJSON text inside a response. */
  static String editClientData(String responseJson, UnaryOperator<String> edit) {
    Matcher matcher = CLIENT_DATA.matcher(responseJson);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no clientDataJSON");
    }
    String clientData =
        new String(SoftAuthenticator.decode(matcher.group(1)), StandardCharsets.UTF_8);
    String edited =
        SoftAuthenticator.encode(edit.apply(clientData).getBytes(StandardCharsets.UTF_8));
    return responseJson.substring(0, matcher.start(1))
        + edited
        + responseJson.substring(matcher.end(1));
  }

  /**
   * Replaces the value of a top-level or nested string member {@code "name":"..."} (first
   * occurrence).
   */
  static String replaceString(String json, String name, String value) {
    return json.replaceFirst(
        "\"" + Pattern.quote(name) + "\":\"[^\"]*\"",
        Matcher.quoteReplacement("\"" + name + "\":\"" + value + "\""));
  }

  /** Removes a string member {@code "name":"..."} (first occurrence). */
  static String removeString(String json, String name) {
    return json.replaceFirst(",?\"" + Pattern.quote(name) + "\":\"[^\"]*\"", "");
  }
}
