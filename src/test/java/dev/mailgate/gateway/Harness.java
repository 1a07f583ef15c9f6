package dev.mailgate.gateway;

import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.DnsFixture;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.policy.ConfigException;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfigParser;
import dev.mailgate.policy.SesVerdicts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** A gateway on a temporary folder, an in-memory outbox and fixture DNS, for pipeline tests. */
public final class Harness {
  public static final String CONFIG = """
      {
        "authservId": "mx.mailgate.example",
        "deployment": "gw-test",
        "domains": ["mailgate.example"],
        "routes": [
          {"match": "bob@mailgate.example", "forward": ["bob@elsewhere.example"]},
          {"match": "many@mailgate.example", "forward": %s},
          {"match": "noreply@mailgate.example", "discard": true},
          {"match": "@mailgate.example", "relay": "internal"}
        ],
        "relays": {"internal": {"host": "127.0.0.1", "port": 2525, "starttls": "none"}},
        "forward": {"from": "forwarder@mailgate.example"},
        "tag": {"subjectPrefix": "[SPAM] "},
        "bounce": {"sender": "mailer-daemon@mailgate.example"},
        "rules": [{"name": "refuse-bounces", "when": {"spf": "pass", "spam": "fail", "virus": "pass"}, "action": "bounce"}]
        %s
      }
      """;

  public final Path dir;
  public final LocalFolderStore local;
  public final FaultyStore store;
  public final OutboxSender outbox = OutboxSender.inMemory();
  public final FaultySender sender = new FaultySender(outbox);
  public final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  /** The message records the gateway wrote, in order (docs/RECORDS.md). */
  public final List<dev.mailgate.report.MessageRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Where the gateway's records go: into {@link #records} unless a test swaps it (a failing sink, say). */
  public volatile dev.mailgate.report.RecordSink recordSink = records::add;
  public final Gateway gateway;

  public Harness(Path dir, String extraConfig, DnsResolver dns, long maxBytes) {
    this.dir = dir;
    this.local = LocalFolderStore.of(dir);
    this.store = new FaultyStore(local);
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 120; i++) {
      many.append(i == 0 ? "" : ",").append("\"m").append(i).append("@elsewhere.example\"");
    }
    many.append(']');
    String json = String.format(CONFIG, many, extraConfig.isEmpty() ? "" : ", " + extraConfig);
    Policy policy;
    try {
      policy = Policy.of(PolicyConfigParser.parse(json, "harness"));
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    DeadlineResolver deadlines = new DeadlineResolver(dns, Clock.systemUTC());
    this.gateway = Gateway.builder().policy(policy)
        .authenticator(new Authenticator(deadlines, Clock.systemUTC()), deadlines)
        .store(store).sender(sender).records(r -> recordSink.write(r))
        .log(GatewayLog.jsonLines(new PrintStream(logs, true, StandardCharsets.UTF_8), Clock.systemUTC()))
        .maxMessageBytes(maxBytes)
        .build();
  }

  public Harness(Path dir) {
    this(dir, "", sampleDns(), Gateway.SES_MAX_MESSAGE_BYTES);
  }

  /** The DNS of the offline sample (events/dns-fixture.zone). */
  public static DnsResolver sampleDns() {
    try {
      return DnsFixture.load(Path.of("events/dns-fixture.zone"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public MessageRef put(String id, byte[] message) {
    try {
      Files.write(dir.resolve(id), message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MessageRef("bucket", id, id);
  }

  public Outcome run(MessageRef ref, SesReceipt receipt, boolean sync) {
    Instant deadline = Instant.now().plusSeconds(20);
    return gateway.process(ref, deadline, new Invocation(sync, receipt, "req-1", deadline, receipt == null ? "s3" : "ses"));
  }

  public Outcome runS3(MessageRef ref) {
    return run(ref, null, false);
  }

  public static SesReceipt receipt(String id, String mailFrom, List<String> rcpt, SesVerdicts verdicts, boolean sync) {
    return new SesReceipt(id, mailFrom, rcpt, verdicts, false, sync, "2026-11-28T09:14:07.512Z");
  }

  public List<String> logLines() {
    String s = logs.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }
}
