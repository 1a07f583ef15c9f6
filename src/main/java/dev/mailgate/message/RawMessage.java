package dev.mailgate.message;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as received: its bytes, the header fields in order with their raw values (folding and all),
 * and where the body starts. Immutable and thread-safe. Nothing is decoded or re-serialized, because
 * DKIM and ARC verify these exact bytes.
 *
 * <p>Line endings: mail on the wire uses CRLF. Messages stored with bare LF line endings (common in
 * files and test suites) are converted once, at parse time, by turning each LF not preceded by CR into
 * CRLF: every check then sees the same consistent CRLF form, which is what the message looked like in
 * SMTP. A message that already uses CRLF is kept as is, without a copy.
 *
 * <p>The header section ends at the first empty line. A line in the header section that is neither a
 * field nor a continuation ends it too: the body starts at that line, and {@link #hasHeaderSeparator()} is
 * false, as it is when there is no empty line at all. A field line is a name of printable US-ASCII other
 * than colon, optional blanks (the obsolete syntax of RFC 5322 section 4.5.3) and a colon; a line like
 * "X Bad: y", ": y" or one with an 8-bit byte in its name is not, so everything from it on is body. Callers
 * that must not act on a message whose header ended that way (DMARC looks for From:) can tell it by
 * {@code !hasHeaderSeparator() && bodyLength() > 0}.
 *
 * <p>An mbox "From " line at the very start (not "From:" nor "From :") is skipped: it stays in
 * {@link #bytes()} but is no header field, and nothing else is dropped.
 */
public final class RawMessage {
  private final byte[] bytes;
  private final List<HeaderField> headers;
  private final int bodyOffset;
  private final boolean separator;
  private final boolean convertedBareLf;

  private RawMessage(byte[] bytes, List<HeaderField> headers, int bodyOffset, boolean separator, boolean converted) {
    this.bytes = bytes;
    this.headers = headers;
    this.bodyOffset = bodyOffset;
    this.separator = separator;
    this.convertedBareLf = converted;
  }

  /**
   * Parses a message; the array is kept (not copied) unless bare LFs had to be converted. Never throws for
   * any content (binary, NULs, lone CRs, no header at all); null is a programming error.
   */
  public static RawMessage parse(byte[] input) {
    Objects.requireNonNull(input, "input");
    boolean bare = hasBareLf(input);
    byte[] b = bare ? toCrlf(input) : input;
    List<HeaderField> fields = new ArrayList<>();
    int pos = 0;
    int n = b.length;
    // An mbox "From " envelope line is not a header field; skip it when it is the very first line. "From :"
    // is not one: that is a From field in the obsolete syntax with blanks before the colon (RFC 5322 4.5.3),
    // and skipping it would hide the author from DMARC.
    if (isMboxFromLine(b)) {
      pos = nextLine(b, 0);
    }
    boolean separator = false;
    int fieldStart = -1;
    while (pos < n) {
      int eol = lineEnd(b, pos);
      int next = nextLine(b, pos);
      boolean empty = eol == pos;
      boolean continuation = !empty && (b[pos] == ' ' || b[pos] == '\t');
      if (continuation && fieldStart >= 0) {
        pos = next;
        continue;
      }
      if (fieldStart >= 0) {
        fields.add(HeaderField.of(latin1(b, fieldStart, trimEol(b, pos))));
        fieldStart = -1;
      }
      if (empty) {
        separator = true;
        pos = next;
        break;
      }
      if (continuation || !isFieldStart(b, pos, eol)) {
        break; // not a header field: the body starts here
      }
      fieldStart = pos;
      pos = next;
    }
    if (fieldStart >= 0) {
      fields.add(HeaderField.of(latin1(b, fieldStart, trimEol(b, pos))));
    }
    return new RawMessage(b, Collections.unmodifiableList(fields), pos, separator, bare);
  }

  /** The message bytes (CRLF line endings). Not a copy: callers must not modify it. */
  public byte[] bytes() {
    return bytes;
  }

  /** All header fields, top to bottom. */
  public List<HeaderField> headers() {
    return headers;
  }

  /** The fields called {@code name} (case-insensitive), top to bottom. */
  public List<HeaderField> headers(String name) {
    List<HeaderField> out = new ArrayList<>(2);
    for (HeaderField f : headers) {
      if (f.is(name)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The topmost field called {@code name}, if any. */
  public Optional<HeaderField> header(String name) {
    for (HeaderField f : headers) {
      if (f.is(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Offset of the body's first byte in {@link #bytes()} (= length when there is no body). */
  public int bodyOffset() {
    return bodyOffset;
  }

  public int bodyLength() {
    return bytes.length - bodyOffset;
  }

  /** The body as a stream over the held bytes (no copy). */
  public InputStream body() {
    return new ByteArrayInputStream(bytes, bodyOffset, bytes.length - bodyOffset);
  }

  /** Whether an empty line separated the header from the body (RFC 5322 section 2.1). */
  public boolean hasHeaderSeparator() {
    return separator;
  }

  /** Whether the input had bare LF line endings that were converted to CRLF. */
  public boolean convertedBareLf() {
    return convertedBareLf;
  }

  public int size() {
    return bytes.length;
  }

  private static String latin1(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** The end of the line's content (the CR of CRLF, a lone LF, or the end of input). */
  private static int lineEnd(byte[] b, int pos) {
    int i = pos;
    while (i < b.length && b[i] != '\n') {
      i++;
    }
    // Only a CR before an LF ends a line: a lone CR at the end of input is content, not an empty line.
    return (i < b.length && i > pos && b[i - 1] == '\r') ? i - 1 : i;
  }

  private static int nextLine(byte[] b, int pos) {
    int i = pos;
    while (i < b.length && b[i] != '\n') {
      i++;
    }
    return Math.min(i + 1, b.length);
  }

  /** Given the start of the following line, the end of the previous line's content. */
  private static int trimEol(byte[] b, int nextStart) {
    int e = nextStart;
    if (e > 0 && b[e - 1] == '\n') {
      e--;
      if (e > 0 && b[e - 1] == '\r') {
        e--;
      }
    }
    return e;
  }

  /**
   * Whether the line {@code [from, to)} starts a header field: a name of printable US-ASCII other than colon
   * (RFC 5322 3.6.8 ftext), then optional blanks (obsolete syntax, RFC 5322 4.5), then a colon. A line with
   * a colon after a space, a control character or an 8-bit byte is not a field.
   */
  static boolean isFieldStart(byte[] b, int from, int to) {
    int i = from;
    while (i < to && b[i] >= 33 && b[i] <= 126 && b[i] != ':') {
      i++;
    }
    if (i == from) {
      return false; // empty name
    }
    while (i < to && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    return i < to && b[i] == ':';
  }

  private static boolean isMboxFromLine(byte[] b) {
    if (b.length < 5 || b[0] != 'F' || b[1] != 'r' || b[2] != 'o' || b[3] != 'm' || b[4] != ' ') {
      return false;
    }
    int i = 5;
    while (i < b.length && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    return i >= b.length || b[i] != ':';
  }

  /**
   * Whether any LF is not preceded by a CR. Every message goes through this scan of all its bytes, so it
   * reads eight bytes at a time (SWAR): a word without LF, by far the most common, costs a few mask
   * operations; only words with an LF look at the bytes before them.
   */
  static boolean hasBareLf(byte[] b) {
    int n = b.length;
    if (n > 0 && b[0] == '\n') {
      return true;
    }
    int i = 1;
    for (; i + 8 <= n; i += 8) {
      long lf = equalBytes((long) LONG_LE.get(b, i), LF8);
      if (lf != 0 && (lf & ~equalBytes((long) LONG_LE.get(b, i - 1), CR8)) != 0) {
        return true;
      }
    }
    for (; i < n; i++) {
      if (b[i] == '\n' && b[i - 1] != '\r') {
        return true;
      }
    }
    return false;
  }

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long HIGH = 0x8080808080808080L;
  private static final long CR8 = 0x0D0D0D0D0D0D0D0DL;
  private static final long LF8 = 0x0A0A0A0A0A0A0A0AL;

  /** Per byte of {@code v}, the high bit set exactly when the byte equals that of {@code pattern}. */
  private static long equalBytes(long v, long pattern) {
    long t = v ^ pattern;
    return ~(((t & LOW7) + LOW7) | t) & HIGH;
  }

  static byte[] toCrlf(byte[] b) {
    int extra = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
        extra++;
      }
    }
    byte[] out = new byte[b.length + extra];
    int j = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
        out[j++] = '\r';
      }
      out[j++] = b[i];
    }
    return out;
  }
}
