package dev.mailgate.dmarc;

import dev.mailgate.message.AddressList;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.util.List;

/**
 * Extracts the Author Domain from a message's From: header field (RFC 9989 section 5.3.1). Exactly one
 * From: field with mailboxes of exactly one domain gives a usable domain; everything else (no From:,
 * several From: fields, group syntax, an unparseable field, mailboxes of several domains) gives the
 * reason there is none, and DMARC then reports permerror. RFC 9989 section 11.5 lets a receiver
 * evaluate each of several domains instead; we do not, because those messages are almost always abusive
 * and a policy can act on the permerror (docs/DMARC.md).
 */
public final class AuthorDomains {
  private AuthorDomains() {}

  public static AuthorDomain fromMessage(RawMessage message) {
    List<HeaderField> from = message.headers("From");
    if (from.isEmpty()) {
      return AuthorDomain.unusable("no From: header field");
    }
    if (from.size() > 1) {
      return AuthorDomain.unusable(from.size() + " From: header fields");
    }
    // RFC 6532: the field may carry UTF-8; decode it so IDN domains reach the A-label conversion intact.
    AddressList list = AddressList.parse(from.get(0).text());
    if (!list.isValid()) {
      return AuthorDomain.unusable("From: header field does not parse: "
          + (list.problems().isEmpty() ? "no mailbox" : list.problems().get(0)));
    }
    if (list.mailboxes().stream().anyMatch(m -> m.group() != null)) {
      return AuthorDomain.unusable("From: header field uses group syntax");
    }
    List<String> domains = list.domains();
    if (domains.isEmpty()) {
      return AuthorDomain.unusable("From: header field has no mailbox");
    }
    if (domains.size() > 1) {
      return AuthorDomain.unusable("From: header field names " + domains.size() + " domains");
    }
    return AuthorDomain.of(domains.get(0));
  }
}
