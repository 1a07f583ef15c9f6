package dev.mailgate.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array, like StringBuilder for bytes: collects the canonicalized header fields that
 * are signed (a few kilobytes at most). Not thread-safe.
 */
public final class ByteBuilder {
  private byte[] buf;
  private int len;

  public ByteBuilder() {
    this(512);
  }

  public ByteBuilder(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public ByteBuilder append(byte b) {
    if (len == buf.length) {
      grow(1);
    }
    buf[len++] = b;
    return this;
  }

  public ByteBuilder append(byte[] b, int off, int n) {
    if (len + n > buf.length) {
      grow(n);
    }
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  /** Appends each char of {@code s} as one byte (ISO-8859-1, as header fields are held). */
  public ByteBuilder appendLatin1(String s) {
    int n = s.length();
    if (len + n > buf.length) {
      grow(n);
    }
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  public ByteBuilder appendCrlf() {
    return append((byte) '\r').append((byte) '\n');
  }

  public int length() {
    return len;
  }

  /** The internal array; valid up to {@link #length()}. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  public String toLatin1String() {
    return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
  }

  private void grow(int extra) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
  }
}
