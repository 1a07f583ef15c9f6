package dev.mailgate.policy;

/** Configuration texts shared by the policy tests. */
final class Configs {
  private Configs() {}

  /** Two domains, every kind of route, one relay, bounces on; built-in defaults otherwise. */
  static final String BASE = """
      {
        "domains": ["mailgate.example", "other.example"],
        "deployment": "mailgate-test",
        "routes": [
          {"match": "*", "forward": ["catchall@elsewhere.example"]},
          {"match": "@other.example", "relay": "internal"},
          {"match": "bob@mailgate.example", "forward": ["bob@elsewhere.example", "bob2@elsewhere.example"]},
          {"match": "carol@mailgate.example", "forward": ["carol@elsewhere.example"]},
          {"match": "ops@other.example", "relay": "internal", "rcptTo": ["ops-team@internal.example"]},
          {"match": "noreply@mailgate.example", "discard": true}
        ],
        "relays": {"internal": {"host": "127.0.0.1", "port": 2525, "starttls": "none"}},
        "forward": {"from": "forwarder@mailgate.example"},
        "bounce": {"sender": "mailer-daemon@mailgate.example"},
        "tag": {"subjectPrefix": "[suspicious] "}
      }
      """;

  static PolicyConfig parse(String json) {
    try {
      return PolicyConfigParser.parse(json, "test");
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static Policy policy(String json) {
    return Policy.of(parse(json));
  }

  /** BASE with extra top-level members spliced in (e.g. rules or defaults). */
  static String baseWith(String members) {
    int end = BASE.lastIndexOf('}');
    return BASE.substring(0, end) + ", " + members + "}";
  }
}
