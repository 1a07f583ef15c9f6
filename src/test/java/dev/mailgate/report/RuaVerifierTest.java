package dev.mailgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import org.junit.jupiter.api.Test;

/** RFC 9990 section 4, "Verifying External Destinations". */
class RuaVerifierTest {
  private final InMemoryResolver dns = InMemoryResolver.builder()
      .txt("sender.example._report._dmarc.reports.example.net", "v=DMARC1")
      .txt("blue.example.com._report._dmarc.red.example.net", "v=DMARC1; rua=mailto:other-box@red.example.net")
      .txt("evil.example._report._dmarc.red.example.net", "v=DMARC1; rua=mailto:x@third.example.org")
      .txt("notdmarc.example._report._dmarc.reports.example.net", "v=spf1 -all")
      .txt("late.example._report._dmarc.reports.example.net", "p=none; v=DMARC1")
      .timeout("slow.example._report._dmarc.reports.example.net", RecordType.TXT)
      .build();
  private final RuaVerifier v = new RuaVerifier(dns, PublicSuffixList.bundled());

  @Test
  void theSameOrganizationalDomainNeedsNoCheck() {
    RuaVerifier.Destination d = v.check("news.sender.example", "mailto:dmarc@sender.example");
    assertThat(d.mailboxes()).containsExactly("dmarc@sender.example");
    assertThat(dns.queries()).isEmpty();
  }

  /**
   * The mailbox is percent-decoded from the sender's DMARC record: encoded CR/LF, commas or brackets
   * would put header fields or extra recipients into our report mail. Such a URI is not used at all.
   */
  @Test
  void aMailboxThatDecodesToMoreThanOneAddressIsNotUsed() {
    for (String uri : new String[] {"mailto:a%0D%0ABcc:x@evil.example@example.com", "mailto:a%0D%0A@example.com",
        "mailto:a%2Cvictim@other.example@example.com", "mailto:%3Cx%3E@example.com", "mailto:a%20b@example.com",
        "mailto:\"q\"@example.com"}) {
      RuaVerifier.Destination d = v.check("example.com", uri);
      assertThat(d.mailboxes()).as(uri).isEmpty();
    }
    assertThat(v.check("example.com", "mailto:dmarc+rua@example.com").mailboxes()).containsExactly("dmarc+rua@example.com");
  }

  @Test
  void anAuthorizedExternalDestinationIsUsed() {
    RuaVerifier.Destination d = v.check("sender.example", "mailto:agg@reports.example.net");
    assertThat(d.mailboxes()).containsExactly("agg@reports.example.net");
    assertThat(dns.queries()).anyMatch(q -> q.contains("sender.example._report._dmarc.reports.example.net"));
  }

  @Test
  void anUnauthorizedExternalDestinationIsDropped() {
    assertThat(v.check("other.example", "mailto:agg@reports.example.net").usable()).isFalse();
    // RFC 9990 4 step 6: "v=DMARC1" must come first.
    assertThat(v.check("notdmarc.example", "mailto:agg@reports.example.net").usable()).isFalse();
    assertThat(v.check("late.example", "mailto:agg@reports.example.net").usable()).isFalse();
  }

  @Test
  void anOverrideForTheSameHostReplacesTheDestination() {
    // The RFC's own example: blue.example.com's rua at red.example.net.
    RuaVerifier.Destination d = v.check("blue.example.com", "mailto:reports@red.example.net");
    assertThat(d.mailboxes()).containsExactly("other-box@red.example.net");
  }

  @Test
  void anOverrideForAnotherHostCancelsBoth() {
    RuaVerifier.Destination d = v.check("evil.example", "mailto:reports@red.example.net");
    assertThat(d.usable()).isFalse();
    assertThat(d.note()).contains("another host");
  }

  @Test
  void aDnsTimeoutIsTemporary() {
    RuaVerifier.Destination d = v.check("slow.example", "mailto:agg@reports.example.net");
    assertThat(d.usable()).isFalse();
    assertThat(d.temporary()).isTrue();
  }

  @Test
  void aNameLongerThanDnsAllowsIsNotAuthorized() {
    String longDomain = ("a".repeat(60) + ".").repeat(4) + "example"; // 251 characters
    RuaVerifier.Destination d = v.check(longDomain, "mailto:agg@reports.example.net");
    assertThat(d.usable()).isFalse();
    assertThat(d.note()).contains("longer than DNS allows");
  }

  @Test
  void otherSchemesAndTheSizeSuffix() {
    assertThat(v.check("sender.example", "https://reports.example.net/dmarc").usable()).isFalse();
    RuaVerifier.Destination d = v.check("sender.example", "mailto:dmarc@sender.example!10m");
    assertThat(d.mailboxes()).containsExactly("dmarc@sender.example");
    assertThat(d.maxBytes()).isEqualTo(10L * 1024 * 1024);
  }
}
