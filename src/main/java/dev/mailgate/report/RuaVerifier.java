package dev.mailgate.report;

import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides where a policy domain's aggregate reports may go: RFC 9990 section 4, "Verifying External
 * Destinations". A mailto: destination whose host is in another Organizational Domain than the policy
 * domain is used only when {@code <policy-domain>._report._dmarc.<destination host>} has a TXT record
 * starting with {@code v=DMARC1}; a rua= in that record replaces the destination if it names the same
 * host, and cancels it otherwise. Thread-safe when the resolver is.
 *
 * <p>Organizational Domains come from the Public Suffix List (RFC 7489 section 3.2), not from an RFC
 * 9989 DNS Tree Walk: a cheap, DNS-free test that errs towards verifying (docs/REPORTING.md).
 */
public final class RuaVerifier {
  /** RFC 1035 section 2.3.4: a name is at most 255 octets on the wire, 253 characters as text. */
  static final int MAX_NAME = 253;

  private final DnsResolver dns;
  private final PublicSuffixList psl;

  public RuaVerifier(DnsResolver dns, PublicSuffixList psl) {
    this.dns = dns;
    this.psl = psl;
  }

  /**
   * What became of one published URI.
   *
   * @param uri the URI as published (with any !size)
   * @param mailboxes where to send: empty when the URI is not used
   * @param maxBytes the URI's (RFC 7489) size limit, or null
   * @param temporary whether the check failed for now only (a DNS timeout): a later run may succeed
   * @param note why, for the log
   */
  public record Destination(String uri, List<String> mailboxes, Long maxBytes, boolean temporary, String note) {
    public Destination {
      mailboxes = List.copyOf(mailboxes);
    }

    public boolean usable() {
      return !mailboxes.isEmpty();
    }
  }

  /** Checks one rua URI of {@code policyDomain}. */
  public Destination check(String policyDomain, String uriText) {
    Uri u = Uri.parse(uriText);
    if (u == null) {
      return new Destination(uriText, List.of(), null, false, "not a usable URI");
    }
    if (!u.mailto) {
      // RFC 9989 4.7: mailto: is the scheme every reporter supports; others are not implemented here.
      return new Destination(uriText, List.of(), u.maxBytes, false, "scheme not supported (only mailto:)");
    }
    String policyOrg = org(policyDomain);
    String hostOrg = org(u.host);
    if (policyOrg != null && policyOrg.equals(hostOrg)) {
      return new Destination(uriText, List.of(u.mailbox), u.maxBytes, false, "same Organizational Domain");
    }
    String name = policyDomain + "._report._dmarc." + u.host;
    if (name.length() > MAX_NAME) {
      return new Destination(uriText, List.of(), u.maxBytes, false, name + ": longer than DNS allows (RFC 9990 4 step 4)");
    }
    List<String> txt;
    try {
      txt = dns.txt(name);
    } catch (DnsTempFailure e) {
      return new Destination(uriText, List.of(), u.maxBytes, true, name + ": DNS temporary failure: " + e.getMessage());
    }
    List<String> confirming = new ArrayList<>();
    for (String t : txt) {
      if (startsWithVersion(t)) {
        confirming.add(t);
      }
    }
    if (confirming.isEmpty()) {
      return new Destination(uriText, List.of(), u.maxBytes, false, name + ": no v=DMARC1 record: not authorized");
    }
    // RFC 9990 4 step 9: a rua= there replaces the destination, but only with URIs for the same host.
    for (String record : confirming) {
      String rua = tag(record, "rua");
      if (rua == null) {
        continue;
      }
      List<String> boxes = new ArrayList<>();
      Long max = u.maxBytes;
      for (String part : rua.split(",")) {
        Uri o = Uri.parse(part.strip());
        if (o == null || !o.mailto) {
          continue;
        }
        if (!o.host.equals(u.host)) {
          return new Destination(uriText, List.of(), u.maxBytes, false, name + ": override " + part.strip()
              + " names another host: no report to either (RFC 9990 section 4)");
        }
        boxes.add(o.mailbox);
        if (o.maxBytes != null) {
          max = o.maxBytes;
        }
      }
      if (!boxes.isEmpty()) {
        return new Destination(uriText, boxes, max, false, name + ": authorized, destination overridden");
      }
    }
    return new Destination(uriText, List.of(u.mailbox), u.maxBytes, false, name + ": authorized");
  }

  private String org(String domain) {
    String o = psl.organizationalDomain(domain);
    return o == null ? null : o.toLowerCase(Locale.ROOT);
  }

  /** RFC 9990 4 step 6: "v=DMARC1" first (the tag list syntax allows spaces around "="). */
  static boolean startsWithVersion(String txt) {
    int semi = txt.indexOf(';');
    String first = (semi < 0 ? txt : txt.substring(0, semi)).strip();
    int eq = first.indexOf('=');
    return eq > 0 && first.substring(0, eq).strip().equals("v") && first.substring(eq + 1).strip().equals("DMARC1");
  }

  /** The value of a tag in a tag=value list, or null. */
  static String tag(String txt, String name) {
    for (String part : txt.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
        return part.substring(eq + 1).strip();
      }
    }
    return null;
  }

  /** A dot-atom local part (RFC 5322 3.2.3) and a host name: what a report may be sent to. */
  private static final java.util.regex.Pattern MAILBOX = java.util.regex.Pattern.compile(
      "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          + "@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

  /** A reporting URI taken apart: mailto or not, mailbox, host, size limit. */
  record Uri(boolean mailto, String mailbox, String host, Long maxBytes) {
    static Uri parse(String text) {
      dev.mailgate.dmarc.ParsedRecord pr = dev.mailgate.dmarc.DmarcRecord.parse("v=DMARC1; p=none; rua=" + text);
      if (!(pr instanceof dev.mailgate.dmarc.ParsedRecord.Valid v) || v.record().rua().size() != 1) {
        return null;
      }
      dev.mailgate.dmarc.ReportUri u = v.record().rua().get(0);
      if (!u.isMailto()) {
        return new Uri(false, null, null, u.maxSizeBytes());
      }
      String box = u.mailbox();
      if (!MAILBOX.matcher(box).matches()) {
        // The mailbox is percent-decoded from the record: a CR, LF, comma or angle bracket there would
        // add header fields or recipients to the report mail. Only a plain dot-atom addr-spec is used.
        return null;
      }
      String host = box.substring(box.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      return new Uri(true, box, host, u.maxSizeBytes());
    }
  }
}
