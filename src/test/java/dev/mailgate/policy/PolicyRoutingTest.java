package dev.mailgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Disposition;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Routes: which recipient goes where, and how deliveries are grouped. */
class PolicyRoutingTest {
  private static final Policy POLICY = Configs.policy(Configs.BASE);

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("an exact address takes its own route", "bob@mailgate.example", "bob@elsewhere.example"),
        Arguments.of("matching ignores case", "BoB@MailGate.Example", "bob@elsewhere.example"),
        Arguments.of("plus-addressing falls back to the untagged address", "bob+news@mailgate.example",
            "bob@elsewhere.example"),
        Arguments.of("an untagged address with no route of its own takes the catch-all", "dave@mailgate.example",
            "catchall@elsewhere.example"),
        Arguments.of("a tagged address whose base has no route takes the catch-all", "dave+x@mailgate.example",
            "catchall@elsewhere.example"),
        Arguments.of("the domain route outranks the catch-all", "anyone@other.example", "relay:internal"),
        Arguments.of("an exact route outranks the domain route", "ops@other.example", "relay:internal"),
        Arguments.of("a foreign domain has no route, even with a catch-all", "bob@foreign.example", "none"),
        Arguments.of("a malformed recipient has no route", "not an address", "none"),
        Arguments.of("a drop route", "noreply@mailgate.example", "drop"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void routeFor(String name, String recipient, String expected) {
    String actual = POLICY.routes().route(recipient).map(r -> {
      if (r.target() instanceof Route.Forward) {
        return ((Route.Forward) r.target()).to().get(0);
      }
      if (r.target() instanceof Route.Relay) {
        return "relay:" + ((Route.Relay) r.target()).relay();
      }
      return "drop";
    }).orElse("none");
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void plusAddressingCanBeTurnedOff() {
    RouteTable t = new RouteTable(Configs.parse(Configs.BASE).routes(), Set.of("mailgate.example"), "");
    Route r = t.route("bob+news@mailgate.example").orElseThrow();
    assertThat(r.match().kind()).isEqualTo(RecipientPattern.Kind.CATCH_ALL);
  }

  @Test
  void precedenceDoesNotDependOnTheOrderRoutesAreWritten() {
    // BASE lists the catch-all first and the exact routes last.
    assertThat(POLICY.routes().route("carol@mailgate.example").orElseThrow().match())
        .isEqualTo(RecipientPattern.parse("carol@mailgate.example"));
  }

  @Test
  void recipientsSharingARouteGetOneForward() {
    PolicyResult r = POLICY.decide(deliver(List.of("dave@mailgate.example", "erin@mailgate.example",
        "bob@mailgate.example")));
    assertThat(r.decisions()).containsExactly(
        new Decision.Forward(List.of("dave@mailgate.example", "erin@mailgate.example"),
            List.of("catchall@elsewhere.example"), r.verdict().reason()),
        new Decision.Forward(List.of("bob@mailgate.example"),
            List.of("bob@elsewhere.example", "bob2@elsewhere.example"), r.verdict().reason()));
  }

  @Test
  void aRelayRouteKeepsTheOriginalRecipientUnlessItNamesOthers() {
    PolicyResult r = POLICY.decide(deliver(List.of("anyone@other.example", "ops@other.example")));
    assertThat(r.decisions()).containsExactly(
        new Decision.Relay(List.of("anyone@other.example"), "internal", List.of("anyone@other.example"),
            r.verdict().reason()),
        new Decision.Relay(List.of("ops@other.example"), "internal", List.of("ops-team@internal.example"),
            r.verdict().reason()));
  }

  @Test
  void repeatedRecipientsAreDeliveredOnce() {
    PolicyResult r = POLICY.decide(deliver(List.of("bob@mailgate.example", "BOB@mailgate.example")));
    assertThat(r.decisions()).hasSize(1);
    assertThat(r.decisions().get(0).recipients()).containsExactly("bob@mailgate.example");
  }

  @Test
  void unroutedAndDroppedRecipientsAreDiscardedBesideTheDeliveries() {
    PolicyResult r = POLICY.decide(deliver(List.of("bob@mailgate.example", "noreply@mailgate.example",
        "x@foreign.example")));
    assertThat(r.decisions()).extracting(Decision::action).containsExactly("forward", "discard", "discard");
    assertThat(r.decisions().get(1).recipients()).containsExactly("noreply@mailgate.example");
    assertThat(r.decisions().get(2).recipients()).containsExactly("x@foreign.example");
    assertThat(r.decisions().get(2).reason()).isEqualTo("no route for recipient");
  }

  @Test
  void unroutedRecipientsAreBouncedWhenConfiguredAndTheSenderIsAuthenticated() {
    Policy p = Configs.policy(Configs.baseWith("\"defaults\": {\"noRoute\": \"bounce\"}"));
    PolicyResult r = p.decide(deliver(List.of("x@foreign.example")));
    assertThat(r.decisions()).containsExactly(new Decision.Bounce(List.of("x@foreign.example"),
        Decision.BounceKind.DOES_NOT_EXIST, "no route for recipient"));
    PolicyInput forged = new PolicyInput(AuthSummary.of(AuthStatus.FAIL, AuthStatus.NONE, AuthStatus.FAIL,
        AuthStatus.NONE, Disposition.NONE), SesVerdicts.NONE, "a@b.example", List.of("x@foreign.example"), 1,
        false, true);
    assertThat(p.decide(forged).decisions().get(0)).isInstanceOf(Decision.Discard.class);
  }

  @Test
  void taggedMailIsDeliveredAlongItsRouteWithTheSubjectPrefix() {
    PolicyInput spam = new PolicyInput(PolicyVerdictTest.clean(), SesVerdicts.scans(SesVerdict.FAIL, SesVerdict.PASS),
        "a@b.example", List.of("bob@mailgate.example", "anyone@other.example"), 1, false, true);
    PolicyResult r = POLICY.decide(spam);
    assertThat(r.verdict().action()).isEqualTo(Action.TAG);
    assertThat(r.decisions()).extracting(Decision::action).containsExactly("tag+forward", "tag+relay");
    Decision.Tag t = (Decision.Tag) r.decisions().get(0);
    assertThat(t.subjectPrefix()).isEqualTo("[suspicious] ");
    assertThat(t.delivery().recipients()).containsExactly("bob@mailgate.example");
  }

  @Test
  void quarantineIsOneDecisionForAllRecipients() {
    PolicyInput reject = new PolicyInput(AuthSummary.of(AuthStatus.FAIL, AuthStatus.FAIL, AuthStatus.FAIL,
        AuthStatus.NONE, Disposition.REJECT), SesVerdicts.NONE, "a@b.example",
        List.of("bob@mailgate.example", "carol@mailgate.example"), 1, false, true);
    PolicyResult r = POLICY.decide(reject);
    assertThat(r.decisions()).hasSize(1);
    assertThat(r.decisions().get(0)).isInstanceOf(Decision.Quarantine.class);
    assertThat(r.decisions().get(0).recipients()).containsExactly("bob@mailgate.example", "carol@mailgate.example");
  }

  @Test
  void noKnownRecipientIsQuarantinedRatherThanLost() {
    PolicyResult r = POLICY.decide(deliver(List.of()));
    assertThat(r.decisions()).hasSize(1);
    assertThat(r.decisions().get(0)).isInstanceOf(Decision.Quarantine.class);
  }

  private static PolicyInput deliver(List<String> rcpts) {
    return new PolicyInput(PolicyVerdictTest.clean(), SesVerdicts.NONE, "alice@sender.example", rcpts, 1, false, true);
  }
}
