package dev.kcpasskeys.ceremony;

import java.util.Base64;

/** Unpadded base64url (RFC 4648 §5), the encoding WebAuthn's JSON forms use for binary values. */
public final class Base64Url {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes base64url, with or without padding.
   *
   * @throws IllegalArgumentException when the text is not base64url (e.g. contains '+' or '/')
   */
  public static byte[] decode(String text) {
    return DECODER.decode(text);
  }
}
