package dev.mailgate.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.RoutingMailSender;
import dev.mailgate.gateway.SmtpRelaySender;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfigParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The AWS side for end-to-end tests: the real SDK clients against S3Mock (through a fault proxy) and a fake
 * SES, SMTP relays to a given port, and the handlers on top. One per test.
 */
final class EndToEnd implements AutoCloseable {
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  static String config(int smtpPort) {
    return """
        {
          "authservId": "mx.mailgate.example",
          "deployment": "gw-e2e",
          "domains": ["mailgate.example"],
          "routes": [
            {"match": "bob@mailgate.example", "forward": ["bob@elsewhere.example"]},
            {"match": "carol@mailgate.example", "relay": "greenmail"}
          ],
          "relays": {"greenmail": {"host": "127.0.0.1", "port": %d, "starttls": "none", "timeoutSeconds": 10}},
          "forward": {"from": "forwarder@mailgate.example"},
          "tag": {"subjectPrefix": "[SPAM] "},
          "bounce": {"sender": "mailer-daemon@mailgate.example"},
          "rules": [{"name": "no-thanks", "when": {"spf": "pass", "spam": "fail"}, "action": "bounce"}],
          "quarantine": {"prefix": "quarantine/"},
          "statePrefix": "mailgate-state/"
        }
        """.formatted(smtpPort);
  }

  final S3FaultProxy proxy;
  final FakeSes ses;
  final AwsClients clients;
  final S3Client direct;
  final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  final GatewayRuntime runtime;

  EndToEnd(S3MockServer s3mock, int smtpPort, DnsResolver dns) throws Exception {
    proxy = new S3FaultProxy(s3mock.endpoint());
    ses = new FakeSes();
    clients = AwsClients.create(Region.US_EAST_1, proxy.endpoint(), ses.endpoint(), CREDENTIALS,
        new AwsClients.Retry(4, Duration.ofMillis(5), Duration.ofMillis(40)));
    direct = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
        .endpointOverride(s3mock.endpoint()).forcePathStyle(true)
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
    Clock clock = Clock.systemUTC();
    GatewayLog log = GatewayLog.jsonLines(new PrintStream(logs, true, StandardCharsets.UTF_8), clock);
    DeadlineResolver deadlines = new DeadlineResolver(dns, clock);
    Gateway gateway = Gateway.builder()
        .policy(Policy.of(PolicyConfigParser.parse(config(smtpPort), "e2e")))
        .authenticator(new Authenticator(deadlines, clock), deadlines)
        .store(new S3MessageStore(clients.s3(), clock))
        .sender(new RoutingMailSender(new SesMailSender(clients.sesV2(), clients.ses(), clock), new SmtpRelaySender()))
        .clock(clock).log(log).build();
    runtime = new GatewayRuntime(gateway, S3MockServer.BUCKET, "inbound/", Duration.ofSeconds(25),
        Duration.ofMillis(500), clock, log);
  }

  SesReceiptHandler sesHandler() {
    return new SesReceiptHandler(runtime);
  }

  S3ObjectHandler s3Handler() {
    return new S3ObjectHandler(runtime);
  }

  /** Stores a message as SES's S3 action does (key inbound/ID) and returns the ID. */
  String store(byte[] message) {
    String id = "e2e" + UUID.randomUUID().toString().replace("-", "");
    direct.putObject(b -> b.bucket(S3MockServer.BUCKET).key("inbound/" + id), RequestBody.fromBytes(message));
    return id;
  }

  Map<String, String> tags(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Tag t : direct.getObjectTagging(b -> b.bucket(S3MockServer.BUCKET).key(key)).tagSet()) {
      out.put(t.key(), t.value());
    }
    return out;
  }

  boolean exists(String key) {
    try {
      direct.headObject(b -> b.bucket(S3MockServer.BUCKET).key(key));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** An SES Lambda-action event for a stored message. */
  static Map<String, Object> sesEvent(String id, String source, List<String> rcpt, boolean sync, String spf,
      String dkim, String dmarc, String dmarcPolicy, String spam, String virus) throws Exception {
    Map<String, Object> receipt = new LinkedHashMap<>();
    receipt.put("timestamp", "2026-11-28T09:14:07.512Z");
    receipt.put("processingTimeMillis", 100);
    receipt.put("recipients", rcpt);
    receipt.put("spamVerdict", Map.of("status", spam));
    receipt.put("virusVerdict", Map.of("status", virus));
    receipt.put("spfVerdict", Map.of("status", spf));
    receipt.put("dkimVerdict", Map.of("status", dkim));
    receipt.put("dmarcVerdict", Map.of("status", dmarc));
    if (dmarcPolicy != null) {
      receipt.put("dmarcPolicy", dmarcPolicy);
    }
    receipt.put("action", Map.of("type", "Lambda", "functionArn", "arn:aws:lambda:us-east-1:1:function:gw",
        "invocationType", sync ? "RequestResponse" : "Event"));
    Map<String, Object> mail = new LinkedHashMap<>();
    mail.put("timestamp", "2026-11-28T09:14:07.512Z");
    mail.put("source", source);
    mail.put("messageId", id);
    mail.put("destination", rcpt);
    mail.put("headersTruncated", false);
    mail.put("headers", List.of(Map.of("name", "Return-Path", "value", "<" + source + ">")));
    Map<String, Object> event = Map.of("Records", List.of(Map.of("eventSource", "aws:ses", "eventVersion", "1.0",
        "ses", Map.of("mail", mail, "receipt", receipt))));
    // Through JSON and back, as the runtime hands it over: mutable maps and lists.
    return JSON.std.mapFrom(JSON.std.asString(event));
  }

  /** An S3 ObjectCreated event for a key. */
  static Map<String, Object> s3Event(String key) throws Exception {
    return JSON.std.mapFrom("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":"
        + "\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + S3MockServer.BUCKET + "\"},\"object\":{\"key\":\""
        + key + "\",\"size\":1}}}]}");
  }

  List<Map<String, Object>> logLines() throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.std.mapFrom(line));
      }
    }
    return out;
  }

  @Override
  public void close() {
    proxy.close();
    ses.close();
    clients.close();
    direct.close();
  }
}
