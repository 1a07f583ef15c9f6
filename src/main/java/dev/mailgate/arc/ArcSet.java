package dev.mailgate.arc;

import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A new ARC Set made by {@link ArcSealer} (RFC 8617 section 4.2): three complete header fields, each
 * "Name: value" with CRLF folding inside and no final CRLF. Immutable.
 *
 * @param instance the instance value (i=) of the three fields
 * @param authenticationResults the ARC-Authentication-Results field
 * @param messageSignature the ARC-Message-Signature field
 * @param seal the ARC-Seal field
 */
public record ArcSet(int instance, String authenticationResults, String messageSignature, String seal) {

  /**
   * The three fields in the order to prepend them, topmost first: ARC-Seal, ARC-Message-Signature,
   * ARC-Authentication-Results (the order in which sealers commonly add them; RFC 8617 fixes none).
   */
  public List<String> fields() {
    return List.of(seal, messageSignature, authenticationResults);
  }

  /** The message's bytes with the three fields prepended, each ended with CRLF. */
  public byte[] prependTo(RawMessage message) {
    StringBuilder sb = new StringBuilder(seal.length() + messageSignature.length() + authenticationResults.length() + 6);
    for (String f : fields()) {
      sb.append(f).append("\r\n");
    }
    byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] m = message.bytes();
    byte[] out = new byte[head.length + m.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(m, 0, out, head.length, m.length);
    return out;
  }
}
