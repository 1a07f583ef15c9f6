package dev.mailgate.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.message.AddressList.Mailbox;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressListTest {

  private static AddressList valid(String value) {
    AddressList l = AddressList.parse(value);
    assertThat(l.problems()).as("problems parsing %s", value).isEmpty();
    assertThat(l.isValid()).isTrue();
    return l;
  }

  private static List<String> addresses(AddressList l) {
    return l.mailboxes().stream().map(m -> m.address().toString()).toList();
  }

  @ParameterizedTest(name = "RFC 5322 3.4: [{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a@example.com | a@example.com",
        "<a@example.com> | a@example.com",
        "  A@Example.COM  | A@example.com",
        "John Doe <john@example.com> | john@example.com",
        "\"Doe, John\" <john@example.com> | john@example.com",
        "\"a@b\"@example.com | \"a@b\"@example.com",
        "a@[192.0.2.1] | a@[192.0.2.1]",
        "a@b\u00fccher.example | a@xn--bcher-kva.example",
        "J\u00fcrgen \u65e5\u672c <j@example.com> | j@example.com",
      })
  void rfc5322_3_4_singleMailbox(String value, String address) {
    assertThat(addresses(valid(value))).containsExactly(address);
  }

  @Test
  void rfc5322_3_4_displayNameWithCommaInQuotes() {
    AddressList l = valid("\"Name, Jr.\" <a@b.example>");
    assertThat(l.mailboxes()).containsExactly(new Mailbox("Name, Jr.", new MailAddress("a", "b.example"), null));
    assertThat(l.domains()).containsExactly("b.example");
  }

  @Test
  void rfc9989_5_3_1_quotedAddressInDisplayNameIsNotTheAuthor() {
    AddressList l = valid("\"ceo@bank.example\" <attacker@evil.example>");
    assertThat(l.domains()).containsExactly("evil.example");
    assertThat(l.mailboxes().get(0).displayName()).isEqualTo("ceo@bank.example");
  }

  @Test
  void rfc9989_5_3_1_quotedLocalPartWithAtIsNotADomain() {
    assertThat(valid("\"user@bank.example\"@evil.example").domains()).containsExactly("evil.example");
  }

  @Test
  void rfc2047_encodedWordsStayEncoded() {
    AddressList l = valid("=?UTF-8?B?SsO8cmdlbg==?= =?UTF-8?Q?M=C3=BCller?= <jm@example.com>");
    assertThat(l.mailboxes().get(0).displayName()).isEqualTo("=?UTF-8?B?SsO8cmdlbg==?= =?UTF-8?Q?M=C3=BCller?=");
  }

  @Test
  void rfc5322_4_1_obsoletePhraseWithDots() {
    AddressList l = valid("John Q. Public <jqp@example.com>");
    assertThat(l.mailboxes().get(0).displayName()).isEqualTo("John Q. Public");
    assertThat(valid("Name. <a@b.example>").mailboxes().get(0).displayName()).isEqualTo("Name.");
  }

  @Test
  void rfc5322_3_4_groupSyntaxUndisclosedRecipients() {
    AddressList l = valid("undisclosed-recipients:;");
    assertThat(l.mailboxes()).isEmpty();
    assertThat(l.domains()).isEmpty();
  }

  @Test
  void rfc5322_3_4_groupMembersCarryTheGroupName() {
    AddressList l = valid("Team: a@x.example, B <b@y.example>;, c@z.example");
    assertThat(l.mailboxes()).containsExactly(
        new Mailbox(null, new MailAddress("a", "x.example"), "Team"),
        new Mailbox("B", new MailAddress("b", "y.example"), "Team"),
        new Mailbox(null, new MailAddress("c", "z.example"), null));
    assertThat(l.domains()).containsExactly("x.example", "y.example", "z.example");
  }

  @Test
  void rfc5322_3_2_2_commentsAnywhereAreSkipped() {
    AddressList l = valid(
        "(lead) John (mid \\) (nested)) <john(c)@(c)example.com(c)> (trail), x@y.example (Comment)");
    assertThat(addresses(l)).containsExactly("john@example.com", "x@y.example");
    assertThat(l.mailboxes().get(0).displayName()).isEqualTo("John");
  }

  @Test
  void rfc5322_3_2_2_foldedValue() {
    AddressList l = valid("\"A\r\n B\" <a@x.example>,\r\n\tc@y.example");
    assertThat(addresses(l)).containsExactly("a@x.example", "c@y.example");
    assertThat(l.mailboxes().get(0).displayName()).isEqualTo("A B");
  }

  @Test
  void rfc5322_4_4_obsoleteRouteIsDropped() {
    assertThat(addresses(valid("<@relay.example:a@example.com>"))).containsExactly("a@example.com");
    assertThat(addresses(valid("Name <@r1.example,,@r2.example:a@example.com>")))
        .containsExactly("a@example.com");
  }

  @Test
  void rfc5322_4_4_obsoleteLocalPartAndDomainWithCfws() {
    assertThat(addresses(valid("john . doe @ example . com"))).containsExactly("john.doe@example.com");
    assertThat(addresses(valid("\"john\".doe@example.com"))).containsExactly("\"john\".doe@example.com");
  }

  @Test
  void rfc5322_4_4_emptyListElements() {
    assertThat(addresses(valid(", a@example.com,,b@example.net ,"))).containsExactly("a@example.com", "b@example.net");
  }

  @Test
  void rfc9989_11_5_severalAuthorDomainsAreAllReported() {
    AddressList l = valid("a@x.example, b@y.example, c@X.Example");
    assertThat(l.domains()).containsExactly("x.example", "y.example");
    assertThat(l.mailboxes()).hasSize(3);
  }

  @Test
  void manyMailboxesAndDeepComments() {
    String many = String.join(", ", java.util.Collections.nCopies(10_000, "a@example.com"));
    assertThat(valid(many).mailboxes()).hasSize(10_000);
    String deep = "(".repeat(100_000) + ")".repeat(100_000) + " a@example.com";
    assertThat(addresses(valid(deep))).containsExactly("a@example.com");
  }

  @ParameterizedTest(name = "RFC 5322 3.4: [{0}] is malformed: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | no address",
        "'   ' | no address",
        "(only a comment) | no address",
        "attacker@evil.example <ceo@bank.example> | expected ',' between addresses at 22",
        "Name <a@b.example | angle-addr not closed with '>' at 17",
        "<> | empty angle-addr at 1",
        "a@b.example c@d.example | expected ',' between addresses at 12",
        "Team: a@x.example | group not closed with ';' at 17",
        "A: B: c@d.example;; | group inside a group at 4",
        "\"unterminated <a@b.example> | unterminated quoted string at 27",
        "a@b.example (unterminated | unterminated comment at 12",
        "Name | no @domain at 4",
        "Name, <a@b.example> | unexpected ',' after a phrase at 4",
        ". <a@b.example> | display name starts with '.' at 2",
        ":; | group without a name at 0",
        "a@b@c.example | expected ',' between addresses at 3",
        "@example.com | empty local-part at 0",
        "a.@example.com | local-part ends with '.' at 2",
        "a..b@example.com | malformed local-part at 4",
        "a@b.example. | domain ends with '.' at 12",
        "a@ | domain expected at 2",
        "a@[1.2.3.4 | domain-literal not closed at 10",
        "a@b.example; | expected ',' between addresses at 11",
        "<@relay.example a@example.com> | malformed route at 16",
      })
  void rfc5322_3_4_malformed(String value, String problem) {
    AddressList l = AddressList.parse(value);
    assertThat(l.isValid()).isFalse();
    assertThat(l.problems()).containsExactly(problem);
  }

  @Test
  void mailboxesBeforeASyntaxErrorAreKeptButTheListIsInvalid() {
    AddressList l = AddressList.parse("attacker@evil.example <ceo@bank.example>");
    assertThat(l.isValid()).isFalse();
    assertThat(l.domains()).containsExactly("evil.example");
  }

  @ParameterizedTest(name = "invalid domain [{0}]: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a@exa_mple.com, b@ok.example | character not allowed in a domain name: exa_mple.com",
        "a@-x.example, b@ok.example | domain label starts or ends with a hyphen: -x.example",
        "a@[300.0.0.1], b@ok.example | malformed address literal: [300.0.0.1]",
        "a@x\ufffd.example, b@ok.example | IDN conversion failed: x\ufffd.example",
      })
  void mailboxWithInvalidDomainIsLeftOutAndReported(String value, String problem) {
    AddressList l = AddressList.parse(value);
    assertThat(l.problems()).containsExactly(problem);
    assertThat(l.domains()).containsExactly("ok.example");
  }

  @Test
  void nullValue() {
    assertThat(AddressList.parse(null).problems()).containsExactly("no value");
  }

  @Test
  void fromRawMessageHeaderText() {
    byte[] in = "From: \"M\u00fcller, J\u00fcrgen\" <j@b\u00fccher.example>\r\n\r\n"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HeaderField from = RawMessage.parse(in).header("From").orElseThrow();
    AddressList l = valid(from.text());
    assertThat(l.mailboxes().get(0).displayName()).isEqualTo("M\u00fcller, J\u00fcrgen");
    assertThat(l.domains()).containsExactly("xn--bcher-kva.example");
  }
}
