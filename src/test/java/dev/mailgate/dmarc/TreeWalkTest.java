package dev.mailgate.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dns.DnsTempFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DNS Tree Walk of RFC 9989 section 4.10 and the Organizational Domain selection of 4.10.2. */
class TreeWalkTest {

  @Test
  void rfc9989_4_10_illustration() {
    assertThat(TreeWalk.names("a.b.c.d.e.f.g.h.i.j.mail.example.com")).containsExactly(
        "a.b.c.d.e.f.g.h.i.j.mail.example.com", "g.h.i.j.mail.example.com", "h.i.j.mail.example.com",
        "i.j.mail.example.com", "j.mail.example.com", "mail.example.com", "example.com", "com");
  }

  @Test
  void rfc9989_5_1_8_zoneCutExample() {
    assertThat(TreeWalk.names("mail.a.b.c.d.e.f.g.example.com")).containsExactly(
        "mail.a.b.c.d.e.f.g.example.com", "c.d.e.f.g.example.com", "d.e.f.g.example.com", "e.f.g.example.com",
        "f.g.example.com", "g.example.com", "example.com", "com");
  }

  @ParameterizedTest(name = "RFC 9989 4.10: {0} labels -> {1} queries")
  @CsvSource({"1, 1", "2, 2", "3, 3", "7, 7", "8, 8", "9, 8", "30, 8", "127, 8"})
  void rfc9989_4_10_atMostEightQueries(int labels, int queries) {
    String name = "x.".repeat(labels - 1) + "com";
    List<String> names = TreeWalk.names(name);
    assertThat(names).hasSize(queries).doesNotHaveDuplicates().endsWith("com");
    if (labels > 8) {
      assertThat(Domains.labelCount(names.get(1))).isEqualTo(7);
    }
  }

  private static TreeWalk.Walk walk(String start, String... zone) throws DnsTempFailure {
    return new TreeWalk(Fixture.resolver(List.of(zone)), DmarcMode.RFC9989).walk(start);
  }

  @Test
  void rfc9989_4_10_2_example1_fewestLabels() throws DnsTempFailure {
    TreeWalk.Walk w = walk("a.mail.example.com", "TXT _dmarc.mail.example.com v=DMARC1; p=none",
        "TXT _dmarc.example.com v=DMARC1; p=none");
    assertThat(w.found()).extracting(TreeWalk.Found::domain).containsExactly("mail.example.com", "example.com");
    assertThat(w.organizationalDomain()).isEqualTo("example.com");
  }

  @Test
  void rfc9989_4_10_2_example2_psdN() throws DnsTempFailure {
    TreeWalk.Walk w = walk("a.mail.example.com", "TXT _dmarc.mail.example.com v=DMARC1; p=none; psd=n",
        "TXT _dmarc.example.com v=DMARC1; p=none");
    assertThat(w.found()).extracting(TreeWalk.Found::domain).containsExactly("mail.example.com"); // walk stopped
    assertThat(w.organizationalDomain()).isEqualTo("mail.example.com");
  }

  @Test
  void rfc9989_4_10_2_example3_psdY() throws DnsTempFailure {
    TreeWalk.Walk w = walk("a.mail.example.com", "TXT _dmarc.com v=DMARC1; p=none; psd=y");
    assertThat(w.organizationalDomain()).isEqualTo("example.com");
    assertThat(w.psdRecord().domain()).isEqualTo("com");
  }

  @Test
  void rfc9989_4_10_2_rule2_psdYAtTheStartDoesNotCount() throws DnsTempFailure {
    TreeWalk.Walk w = walk("bank.example", "TXT _dmarc.bank.example v=DMARC1; p=none; psd=y");
    assertThat(w.organizationalDomain()).isEqualTo("bank.example");
  }

  @Test
  void rfc9989_4_10_2_noRecordAtAll_theStartIsTheOrganizationalDomain() throws DnsTempFailure {
    assertThat(walk("a.b.example.com").organizationalDomain()).isEqualTo("a.b.example.com");
  }

  @Test
  void rfc9989_4_10_2_psdYFoundAfterShortening_orgIsOneBelowIt() throws DnsTempFailure {
    // The name one label below the PSD may never have been queried (it was skipped by the shortening).
    TreeWalk.Walk w = walk("a.b.c.d.e.f.g.h.i.example", "TXT _dmarc.d.e.f.g.h.i.example v=DMARC1; p=none; psd=y");
    assertThat(w.organizationalDomain()).isEqualTo("c.d.e.f.g.h.i.example");
  }

  @Test
  void rfc9989_4_10_step2_multipleRecordsAreDiscarded() throws DnsTempFailure {
    TreeWalk.Walk w = walk("a.example.com", "TXT _dmarc.a.example.com v=DMARC1; p=none; psd=n",
        "TXT _dmarc.a.example.com v=DMARC1; p=reject", "TXT _dmarc.example.com v=DMARC1; p=none");
    assertThat(w.organizationalDomain()).isEqualTo("example.com");
  }

  @Test
  void aNameTooLongForTheDnsIsNotQueried() throws DnsTempFailure {
    String start = ("a".repeat(60) + ".").repeat(4) + "com"; // 247 characters: _dmarc. makes 254
    var dns = Fixture.resolver(List.of());
    new TreeWalk(dns, DmarcMode.RFC9989).walk(start);
    assertThat(dns.queries()).hasSize(4).noneMatch(q -> q.contains(start));
  }
}
