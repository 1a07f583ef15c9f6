package dev.mailgate.dkim;

import dev.mailgate.message.HeaderField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Selecting and canonicalizing the header fields a signature covers (RFC 6376 sections 3.7 and 5.4.2).
 * Shared by DKIM and ARC-Message-Signature. Stateless and thread-safe.
 */
public final class SignedHeaders {
  private SignedHeaders() {}

  /**
   * The fields that the names of an h= list refer to, in h= order. Each occurrence of a name takes the
   * next instance of that field counting from the bottom of the header (RFC 6376 section 5.4.2); an
   * occurrence with no instance left refers to a non-existent field, which contributes nothing (section
   * 3.5, h=). Names match case-insensitively. Linear in the number of fields plus names.
   */
  public static List<HeaderField> select(List<HeaderField> headers, List<String> names) {
    Map<String, List<HeaderField>> byName = new HashMap<>();
    for (HeaderField f : headers) {
      byName.computeIfAbsent(f.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(f);
    }
    Map<String, Integer> used = new HashMap<>();
    List<HeaderField> out = new ArrayList<>(names.size());
    for (String name : names) {
      String key = name.toLowerCase(Locale.ROOT);
      List<HeaderField> instances = byName.get(key);
      int n = used.merge(key, 1, Integer::sum);
      if (instances != null && n <= instances.size()) {
        out.add(instances.get(instances.size() - n));
      }
    }
    return out;
  }

  /**
   * The input of RFC 6376 section 3.7 hash step 2: the selected fields, each canonicalized and ended
   * with CRLF, then the signature field itself (with its b= value already deleted) canonicalized
   * without a trailing CRLF.
   *
   * @param signatureField the signature field's raw text with the b= value deleted, e.g. from {@link
   *     DkimSignature#fieldWithoutSignature()}
   */
  public static ByteBuilder headerData(
      List<HeaderField> headers, List<String> names, Canonicalization c, String signatureField) {
    ByteBuilder out = new ByteBuilder(1024);
    for (HeaderField f : select(headers, names)) {
      c.canonicalizeHeader(f.raw(), out);
      out.appendCrlf();
    }
    c.canonicalizeHeader(signatureField, out);
    return out;
  }
}
