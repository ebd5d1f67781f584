package dev.kcpasskeys.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A tiny CBOR (RFC 8949) encoder for test data: maps (insertion order kept), arrays, byte and text
 * strings, integers and booleans. Enough to build attestation objects and COSE keys by hand.
 */
public final class Cbor {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Cbor() {}

  /** Encodes a value: Map, List, byte[], String, Integer/Long, Boolean or null. */
  public static byte[] encode(Object value) {
    Cbor cbor = new Cbor();
    cbor.write(value);
    return cbor.out.toByteArray();
  }

  private void write(Object value) {
    if (value == null) {
      out.write(0xf6);
    } else if (value instanceof Boolean b) {
      out.write(b ? 0xf5 : 0xf4);
    } else if (value instanceof Integer || value instanceof Long) {
      writeInteger(((Number) value).longValue());
    } else if (value instanceof byte[] bytes) {
      head(2, bytes.length);
      out.writeBytes(bytes);
    } else if (value instanceof String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      head(3, utf8.length);
      out.writeBytes(utf8);
    } else if (value instanceof List<?> list) {
      head(4, list.size());
      list.forEach(this::write);
    } else if (value instanceof Map<?, ?> map) {
      head(5, map.size());
      map.forEach(
          (k, v) -> {
            write(k);
            write(v);
          });
    } else {
      throw new IllegalArgumentException("cannot encode " + value.getClass());
    }
  }

  private void writeInteger(long value) {
    if (value >= 0) {
      head(0, value);
    } else {
      head(1, -1 - value);
    }
  }

  private void head(int majorType, long argument) {
    int major = majorType << 5;
    if (argument < 24) {
      out.write(major | (int) argument);
    } else if (argument < 0x100) {
      out.write(major | 24);
      out.write((int) argument);
    } else if (argument < 0x10000) {
      out.write(major | 25);
      writeBigEndian(argument, 2);
    } else if (argument < 0x100000000L) {
      out.write(major | 26);
      writeBigEndian(argument, 4);
    } else {
      out.write(major | 27);
      writeBigEndian(argument, 8);
    }
  }

  private void writeBigEndian(long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
