package dev.mailgate.authres;

import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8601 section 5: before adding our own Authentication-Results, an MTA MUST delete any that claim,
 * by their authserv-id, to come from inside its trust boundary, and SHOULD delete any of a version it
 * does not support, or a sender could forge our verdicts. Stateless and thread-safe.
 */
public final class ForgedResults {
  private ForgedResults() {}

  /**
   * Whether {@code field} is an Authentication-Results field that claims {@code authservId} (compared
   * case-insensitively, after A-labels are turned into U-labels as section 5 asks for EAI) or that
   * carries a version other than 1. A field whose authserv-id cannot be read is kept: it claims nothing.
   */
  public static boolean mustRemove(HeaderField field, String authservId) {
    if (!field.is(AuthResultsHeader.NAME)) {
      return false;
    }
    Optional<AuthResults> parsed = AuthResultsParser.parse(field.text());
    if (parsed.isEmpty()) {
      return false;
    }
    return parsed.get().version() != 1 || sameId(parsed.get().authservId(), authservId);
  }

  /** The fields of {@code message} that {@link #mustRemove} would remove, top to bottom. */
  public static List<HeaderField> find(RawMessage message, String authservId) {
    return message.headers().stream().filter(f -> mustRemove(f, authservId)).toList();
  }

  /**
   * The message bytes without the fields {@link #mustRemove} selects; every other byte is unchanged
   * (header fields keep their order and folding, the body is not touched). Returns the original array
   * when there is nothing to remove.
   */
  public static byte[] remove(RawMessage message, String authservId) {
    if (find(message, authservId).isEmpty()) {
      return message.bytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.size());
    for (HeaderField f : message.headers()) {
      if (!mustRemove(f, authservId)) {
        byte[] raw = f.raw().getBytes(StandardCharsets.ISO_8859_1);
        out.write(raw, 0, raw.length);
        out.write('\r');
        out.write('\n');
      }
    }
    byte[] b = message.bytes();
    int headerEnd = headerSectionEnd(message);
    out.write(b, headerEnd, b.length - headerEnd);
    return out.toByteArray();
  }

  /** Where the last header field's line ends (its CRLF included): the separator line or body follows. */
  private static int headerSectionEnd(RawMessage m) {
    int end = m.bodyOffset();
    if (m.hasHeaderSeparator()) {
      end -= 2; // the empty line's CRLF (RawMessage has CRLF line endings)
    }
    return Math.max(end, 0);
  }

  private static boolean sameId(String claimed, String ours) {
    return normalize(claimed).equals(normalize(ours));
  }

  private static String normalize(String id) {
    String s = id.strip().toLowerCase(Locale.ROOT);
    try {
      return IDN.toUnicode(s, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
