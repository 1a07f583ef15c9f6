package dev.mailgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.authres.AuthStatus;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing and validation of the configuration file: every error names the JSON path of the bad setting. */
class PolicyConfigParserTest {

  @Test
  void theSmallestConfigurationGetsEveryDefault() {
    PolicyConfig c = Configs.parse("{\"domains\": \"Mailgate.Example\"}");
    assertThat(c.domains()).containsExactly("mailgate.example");
    assertThat(c.authservId()).isEqualTo("mailgate.example");
    assertThat(c.deployment()).isEqualTo("mailgate.example");
    assertThat(c.plusSeparator()).isEqualTo("+");
    assertThat(c.routes()).isEmpty();
    assertThat(c.defaults()).isEqualTo(new PolicyConfig.Defaults(Action.QUARANTINE, Action.TAG, true,
        Action.QUARANTINE, Action.TAG, Action.TAG, Action.DISCARD));
    assertThat(c.quarantine()).isEqualTo(new PolicyConfig.Quarantine("quarantine/", false));
    assertThat(c.discard().deleteObject()).isFalse();
    assertThat(c.bounce().enabled()).isFalse();
    assertThat(c.loop().maxReceived()).isEqualTo(50);
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.sync().of(Action.DELIVER)).isEqualTo(SyncDisposition.CONTINUE);
    assertThat(c.sync().of(Action.TAG)).isEqualTo(SyncDisposition.CONTINUE);
    assertThat(c.sync().of(Action.QUARANTINE)).isEqualTo(SyncDisposition.STOP_RULE_SET);
    assertThat(c.sync().of(Action.DISCARD)).isEqualTo(SyncDisposition.STOP_RULE_SET);
    assertThat(c.sync().onError()).isEqualTo(SyncDisposition.CONTINUE);
    assertThat(c.forward().fromName()).isEqualTo("{name} via {domain}");
    assertThat(c.forward().replyTo()).isTrue();
  }

  @Test
  void theBaseConfigurationReadsEveryRouteKind() {
    PolicyConfig c = Configs.parse(Configs.BASE);
    assertThat(c.routes()).hasSize(6);
    assertThat(c.routes().get(0).target()).isEqualTo(new Route.Forward(List.of("catchall@elsewhere.example")));
    assertThat(c.routes().get(4).target()).isEqualTo(new Route.Relay("internal", List.of("ops-team@internal.example")));
    assertThat(c.routes().get(5).target()).isEqualTo(new Route.Drop());
    assertThat(c.relays().get("internal")).isEqualTo(new PolicyConfig.Relay("127.0.0.1", 2525,
        PolicyConfig.StartTls.NONE, null, null, 30, null));
  }

  @Test
  void ruleConditionsTakeOneWordOrAList() {
    PolicyConfig c = Configs.parse(Configs.baseWith("""
        "rules": [{"name": "r", "when": {"spf": "FAIL", "dmarc": ["fail", "permerror"],
                   "dmarcDisposition": "reject", "spam": ["gray", "fail"]}, "action": "tag"}]
        """));
    Rule r = c.rules().get(0);
    assertThat(r.auth().get(AuthSummary.Method.SPF)).containsExactly(AuthStatus.FAIL);
    assertThat(r.auth().get(AuthSummary.Method.DMARC)).containsExactlyInAnyOrder(AuthStatus.FAIL, AuthStatus.PERMERROR);
    assertThat(r.spam()).containsExactlyInAnyOrder(SesVerdict.GRAY, SesVerdict.FAIL);
    assertThat(r.readsAuthentication()).isTrue();
  }

  @Test
  void keysStartingWithAnUnderscoreAreComments() {
    PolicyConfig c = Configs.parse("{\"_comment\": \"receiving domain\", \"domains\": [\"a.example\"]}");
    assertThat(c.domains()).containsExactly("a.example");
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("not JSON at all", "{domains: ", "$: not valid JSON"),
        Arguments.of("a duplicate key", "{\"domains\": [\"a.example\"], \"domains\": [\"b.example\"]}",
            "$: not valid JSON: Duplicate field 'domains'"),
        Arguments.of("the root is not an object", "[]", "$: must be an object, not an array"),
        Arguments.of("domains missing", "{}", "$.domains: required"),
        Arguments.of("an empty domain list", "{\"domains\": []}", "$.domains: must not be empty"),
        Arguments.of("a bad domain", "{\"domains\": [\"a.example\", \"bad domain\"]}",
            "$.domains[1]: not a domain name: 'bad domain'"),
        Arguments.of("a misspelt key", "{\"domains\": \"a.example\", \"rutes\": []}",
            "$.rutes: unknown setting (did you mean 'routes'?)"),
        Arguments.of("a misspelt nested key", "{\"domains\": \"a.example\", \"forward\": {\"form\": \"x@a.example\"}}",
            "$.forward.form: unknown setting (did you mean 'from'?)"),
        Arguments.of("a bad forward address", """
            {"domains": "a.example", "forward": {"from": "f@a.example"},
             "routes": [{"match": "*", "forward": ["ok@b.example", "bob@"]}]}""",
            "$.routes[0].forward[1]: not an email address: 'bob@'"),
        Arguments.of("a route for a domain we do not receive for", """
            {"domains": "a.example", "forward": {"from": "f@a.example"},
             "routes": [{"match": "@b.example", "forward": "x@c.example"}]}""",
            "$.routes[0].match: domain 'b.example' is not one of $.domains"),
        Arguments.of("two routes for one pattern", """
            {"domains": "a.example", "forward": {"from": "f@a.example"},
             "routes": [{"match": "*", "forward": "x@c.example"}, {"match": "*", "discard": true}]}""",
            "$.routes[1].match: another route already matches '*'"),
        Arguments.of("a route with two targets", """
            {"domains": "a.example", "relays": {"r": {"host": "h"}},
             "routes": [{"match": "*", "discard": true, "relay": "r"}]}""",
            "$.routes[0]: needs exactly one of forward, relay or discard"),
        Arguments.of("a relay route naming no relay", """
            {"domains": "a.example", "routes": [{"match": "*", "relay": "mx"}]}""",
            "$.routes[0].relay: no relay named 'mx' in $.relays"),
        Arguments.of("a relay without host", """
            {"domains": "a.example", "relays": {"mx": {"port": 25}}}""", "$.relays.mx.host: required"),
        Arguments.of("a relay port out of range", """
            {"domains": "a.example", "relays": {"mx": {"host": "h", "port": 70000}}}""",
            "$.relays.mx.port: must be between 1 and 65535, not 70000"),
        Arguments.of("a bad starttls word", """
            {"domains": "a.example", "relays": {"mx": {"host": "h", "starttls": "always"}}}""",
            "$.relays.mx.starttls: must be required, optional or none, not 'always'"),
        Arguments.of("forwarding without a verified sender", """
            {"domains": "a.example", "routes": [{"match": "*", "forward": "x@c.example"}]}""",
            "$.forward.from: required"),
        Arguments.of("a temperror default that is permanent", """
            {"domains": "a.example", "defaults": {"temperror": "discard"}}""",
            "$.defaults.temperror: must be deliver, tag, quarantine, not 'discard' (a temporary error never leads"),
        Arguments.of("a DMARC reject default that delivers", """
            {"domains": "a.example", "defaults": {"dmarcReject": "deliver"}}""",
            "$.defaults.dmarcReject: must be quarantine, discard, bounce, not 'deliver'"),
        Arguments.of("a discard rule matching temperror", """
            {"domains": "a.example", "rules": [{"when": {"dmarc": ["fail", "temperror"]}, "action": "discard"}]}""",
            "$.rules[0].when.dmarc: a discard rule must not match temperror"),
        Arguments.of("a bounce rule without a bounce sender", """
            {"domains": "a.example", "rules": [{"when": {"spf": "fail"}, "action": "bounce"}]}""",
            "$.rules[0].action: bounce needs $.bounce.sender"),
        Arguments.of("a rule without when", """
            {"domains": "a.example", "rules": [{"action": "tag"}]}""", "$.rules[0].when: required"),
        Arguments.of("an unknown result word", """
            {"domains": "a.example", "rules": [{"when": {"spf": "passed"}, "action": "tag"}]}""",
            "$.rules[0].when.spf[0]: not an RFC 8601 result word"),
        Arguments.of("an unknown SES verdict", """
            {"domains": "a.example", "rules": [{"when": {"spam": "maybe"}, "action": "tag"}]}""",
            "$.rules[0].when.spam[0]: must be pass, fail, gray, processing_failed, disabled or absent"),
        Arguments.of("a wrong type", """
            {"domains": "a.example", "discard": {"deleteObject": "yes"}}""",
            "$.discard.deleteObject: must be true or false, not a string"),
        Arguments.of("a bad sync disposition", """
            {"domains": "a.example", "sync": {"quarantine": "STOP"}}""",
            "$.sync.quarantine: must be CONTINUE, STOP_RULE or STOP_RULE_SET, not 'STOP'"),
        Arguments.of("an authserv-id with a space", """
            {"domains": "a.example", "authservId": "mx 1"}""", "$.authservId: must be a token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorsNameTheJsonPath(String name, String json, String expected) {
    assertThatThrownBy(() -> PolicyConfigParser.parse(json, "config.json"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p).startsWith(expected)))
        .hasMessageStartingWith("config.json: ");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String json = """
        {"domains": ["a.example"], "loop": {"maxReceived": 1}, "tag": {"subjectPrefx": "x"},
         "maxAttempts": 0}""";
    assertThatThrownBy(() -> PolicyConfigParser.parse(json, "c"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "$.loop.maxReceived: must be between 5 and 500, not 1",
            "$.tag.subjectPrefx: unknown setting (did you mean 'subjectPrefix'?)",
            "$.maxAttempts: must be between 1 and 10, not 0"));
  }

  @Test
  void aRelayPasswordIsNeverPrinted() {
    PolicyConfig c = Configs.parse("""
        {"domains": "a.example", "relays": {"mx": {"host": "h", "username": "u", "password": "s3cret"}}}""");
    assertThat(c.relays().get("mx").toString()).doesNotContain("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
  }
}
