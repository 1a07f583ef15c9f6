package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deployment settings: defaults, errors naming the variable, and one list of every variable read. */
class ConfigTest {

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("AWS_REGION", "eu-west-1");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaults() {
    Config c = Config.fromEnvironment(env(Config.CONFIG_FILE, "/var/task/config.json"));
    assertThat(c.bucket()).isNull();
    assertThat(c.objectPrefix()).isEmpty();
    assertThat(c.dnsServers()).isEmpty();
    assertThat(c.dnsTimeoutMillis()).isEqualTo(2000);
    assertThat(c.maxMessageBytes()).isEqualTo(40L * 1024 * 1024);
    assertThat(c.awsMaxAttempts()).isEqualTo(4);
    assertThat(c.syncTimeoutMillis()).isEqualTo(25_000);
    assertThat(c.safetyMarginMillis()).isEqualTo(1500);
    assertThat(c.region()).isEqualTo("eu-west-1");
  }

  @Test
  void everySettingIsRead() {
    Config c = Config.fromEnvironment(env(Config.BUCKET, "mail", Config.OBJECT_PREFIX, "inbound/",
        Config.CONFIG_S3, "s3://cfg/mailgate.json", Config.DNS_SERVERS, "10.0.0.2, 10.0.0.3:53",
        Config.DNS_TIMEOUT_MS, "1500", Config.MAX_MESSAGE_BYTES, "1048576", Config.AWS_MAX_ATTEMPTS, "3",
        Config.SYNC_TIMEOUT_MS, "20000", Config.SAFETY_MARGIN_MS, "500", Config.RELAY_PASSWORD, "pw",
        Config.S3_ENDPOINT, "http://127.0.0.1:9090", Config.SES_ENDPOINT, "http://127.0.0.1:9091"));
    assertThat(c.bucket()).isEqualTo("mail");
    assertThat(c.objectPrefix()).isEqualTo("inbound/");
    assertThat(Config.parseS3(c.configS3())).containsExactly("cfg", "mailgate.json");
    assertThat(c.dnsServers()).containsExactly("10.0.0.2", "10.0.0.3:53");
    assertThat(c.dnsTimeoutMillis()).isEqualTo(1500);
    assertThat(c.maxMessageBytes()).isEqualTo(1048576);
    assertThat(c.awsMaxAttempts()).isEqualTo(3);
    assertThat(c.syncTimeoutMillis()).isEqualTo(20000);
    assertThat(c.safetyMarginMillis()).isEqualTo(500);
    assertThat(c.relayPassword()).isEqualTo("pw");
    assertThat(c.s3Endpoint()).isEqualTo(URI.create("http://127.0.0.1:9090"));
    assertThat(c.sesEndpoint()).isEqualTo(URI.create("http://127.0.0.1:9091"));
    assertThat(c.toString()).doesNotContain("pw\"").doesNotContain("password");
  }

  @Test
  void anEmptyValueCountsAsNotSet() {
    Config c = Config.fromEnvironment(env(Config.CONFIG, "{}", Config.CONFIG_FILE, "", Config.CONFIG_S3, " ",
        Config.BUCKET, ""));
    assertThat(c.configInline()).isEqualTo("{}");
    assertThat(c.bucket()).isNull();
  }

  @Test
  void errorsNameEveryWrongVariable() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of(Config.DNS_TIMEOUT_MS, "fast", Config.AWS_MAX_ATTEMPTS, "99",
        Config.S3_ENDPOINT, "localhost:9090", Config.CONFIG, "{}", Config.CONFIG_FILE, "/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAILGATE_CONFIG, MAILGATE_CONFIG_FILE, MAILGATE_CONFIG_S3: set exactly one (2 are set)")
        .hasMessageContaining("MAILGATE_DNS_TIMEOUT_MS: not a whole number: 'fast'")
        .hasMessageContaining("MAILGATE_AWS_MAX_ATTEMPTS: must be between 1 and 10, not 99")
        .hasMessageContaining("MAILGATE_S3_ENDPOINT: must be an http(s) URL")
        .hasMessageContaining("AWS_REGION: not set");
  }

  @Test
  void noConfigurationSourceIsAnError() {
    assertThatThrownBy(() -> Config.fromEnvironment(env()))
        .hasMessageContaining("set exactly one (none is set)");
  }

  @Test
  void theListHoldsEveryVariableConstantOfTheClass() throws Exception {
    List<String> constants = new ArrayList<>();
    for (Field f : Config.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        constants.add((String) f.get(null));
      }
    }
    List<String> all = new ArrayList<>(Config.ENVIRONMENT_VARIABLES);
    all.addAll(Config.RUNTIME_VARIABLES);
    assertThat(all).containsExactlyInAnyOrderElementsOf(constants).doesNotHaveDuplicates();
  }

  /**
   * Every environment variable name the main code mentions is one of Config's, so the SAM template test can
   * rely on the list. cli/Main's MAILGATE_DEBUG (a CLI switch, never set in Lambda) is the one exception.
   */
  @Test
  void noOtherClassNamesAnEnvironmentVariable() throws IOException {
    Pattern name = Pattern.compile("\"(MAILGATE_[A-Z0-9_]+|AWS_[A-Z0-9_]+)\"");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        if (p.endsWith(Path.of("dev/mailgate/aws/Config.java"))) {
          continue;
        }
        Matcher m = name.matcher(Files.readString(p));
        while (m.find()) {
          found.add(p.getFileName() + ":" + m.group(1));
        }
      }
    }
    assertThat(found).containsOnly("Main.java:MAILGATE_DEBUG");
  }

  private static final String MINIMAL = "{\"domains\": [\"mailgate.example\"]%s}";

  @Test
  void storagePrefixesFromTheEnvironmentAreChecked() {
    Config c = Config.fromEnvironment(env(Config.CONFIG_FILE, "/c.json", Config.QUARANTINE_PREFIX, "held/",
        Config.STATE_PREFIX, "records/"));
    assertThat(c.quarantinePrefix()).isEqualTo("held/");
    assertThat(c.statePrefix()).isEqualTo("records/");
    Config unset = Config.fromEnvironment(env(Config.CONFIG_FILE, "/c.json", Config.QUARANTINE_PREFIX, ""));
    assertThat(unset.quarantinePrefix()).isNull();
    assertThat(unset.statePrefix()).isNull();
    assertThatThrownBy(() -> Config.fromEnvironment(env(Config.CONFIG_FILE, "/c.json", Config.QUARANTINE_PREFIX,
        "/held/", Config.STATE_PREFIX, "a/../b/")))
        .hasMessageContaining(Config.QUARANTINE_PREFIX + ": must be an S3 key prefix such as quarantine/")
        .hasMessageContaining(Config.STATE_PREFIX + ": must be an S3 key prefix");
    assertThatThrownBy(() -> Config.fromEnvironment(env(Config.CONFIG_FILE, "/c.json", Config.QUARANTINE_PREFIX,
        "held/", Config.STATE_PREFIX, "held/records/")))
        .hasMessageContaining(Config.QUARANTINE_PREFIX + ", " + Config.STATE_PREFIX + ": must not overlap");
    assertThatThrownBy(() -> Config.fromEnvironment(env(Config.CONFIG_FILE, "/c.json", Config.OBJECT_PREFIX,
        "inbound/", Config.STATE_PREFIX, "inbound/records/")))
        .hasMessageContaining(Config.STATE_PREFIX + ": must not overlap " + Config.OBJECT_PREFIX);
  }

  @Test
  void theEnvironmentsPrefixesApplyAndAConflictingFileIsRefusedNamingBoth() throws Exception {
    Config env = Config.fromEnvironment(env(Config.CONFIG, MINIMAL.formatted(""), Config.QUARANTINE_PREFIX, "held/",
        Config.STATE_PREFIX, "records/"));
    dev.mailgate.policy.PolicyConfig pc = GatewayRuntime.loadPolicy(env, null);
    assertThat(pc.quarantine().prefix()).isEqualTo("held/");
    assertThat(pc.statePrefix()).isEqualTo("records/");

    // The file agreeing is fine; the file saying something else is refused at start.
    Config agree = Config.fromEnvironment(env(Config.CONFIG, MINIMAL.formatted(", \"statePrefix\": \"records/\""),
        Config.STATE_PREFIX, "records/"));
    assertThat(GatewayRuntime.loadPolicy(agree, null).statePrefix()).isEqualTo("records/");
    Config conflict = Config.fromEnvironment(env(Config.CONFIG, MINIMAL.formatted(
        ", \"statePrefix\": \"mine/\", \"quarantine\": {\"prefix\": \"q/\"}"), Config.STATE_PREFIX, "records/",
        Config.QUARANTINE_PREFIX, "held/"));
    assertThatThrownBy(() -> GatewayRuntime.loadPolicy(conflict, null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Config.STATE_PREFIX + " is 'records/' but the configuration's statePrefix is 'mine/'")
        .hasMessageContaining(Config.QUARANTINE_PREFIX + " is 'held/' but the configuration's quarantine.prefix is 'q/'");

    // Only one set in the environment: it must still not overlap the file's other prefix.
    Config overlap = Config.fromEnvironment(env(Config.CONFIG, MINIMAL.formatted(""), Config.STATE_PREFIX,
        "quarantine/records/"));
    assertThatThrownBy(() -> GatewayRuntime.loadPolicy(overlap, null))
        .hasMessageContaining("the quarantine prefix 'quarantine/' and the state prefix 'quarantine/records/' overlap");

    // Without them the file's values stand.
    Config none = Config.fromEnvironment(env(Config.CONFIG, MINIMAL.formatted(", \"statePrefix\": \"mine/\"")));
    assertThat(GatewayRuntime.loadPolicy(none, null).statePrefix()).isEqualTo("mine/");
  }
}
