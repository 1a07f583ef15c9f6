package dev.mailgate.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * The SES calls through the real SDK client, against a loopback stand-in for the SES query API
 * (form-encoded requests, XML answers) that keeps one region's active rule set.
 */
class SesReceiptRuleSetsTest {
  private static final String NS = "http://ses.amazonaws.com/doc/2010-12-01/";
  private HttpServer server;
  private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
  private volatile String active;
  private SesClient ses;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      Map<String, String> params = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      calls.add(params);
      String action = params.get("Action");
      String result;
      if ("DescribeActiveReceiptRuleSet".equals(action)) {
        result = active == null ? "<DescribeActiveReceiptRuleSetResult/>"
            : "<DescribeActiveReceiptRuleSetResult><Metadata><Name>" + active
                + "</Name><CreatedTimestamp>2026-11-28T09:00:00Z</CreatedTimestamp></Metadata><Rules/>"
                + "</DescribeActiveReceiptRuleSetResult>";
      } else if ("SetActiveReceiptRuleSet".equals(action)) {
        active = params.get("RuleSetName");
        result = "<SetActiveReceiptRuleSetResult/>";
      } else {
        ex.sendResponseHeaders(400, -1);
        ex.close();
        return;
      }
      byte[] xml = ("<" + action + "Response xmlns=\"" + NS + "\">" + result
          + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></" + action + "Response>")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/xml");
      ex.sendResponseHeaders(200, xml.length);
      ex.getResponseBody().write(xml);
      ex.close();
    });
    server.start();
    ses = SesClient.builder().region(Region.EU_WEST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  @AfterEach
  void stop() {
    ses.close();
    server.stop(0);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  @Test
  void activatesReadsAndDeactivates() {
    SesReceiptRuleSets sets = new SesReceiptRuleSets(ses);
    assertThat(sets.active()).isEmpty();
    sets.activate("mg-rules");
    assertThat(sets.active()).contains("mg-rules");
    sets.deactivate();
    assertThat(sets.active()).isEmpty();
    assertThat(calls).extracting(c -> c.get("Action")).containsExactly("DescribeActiveReceiptRuleSet",
        "SetActiveReceiptRuleSet", "DescribeActiveReceiptRuleSet", "SetActiveReceiptRuleSet",
        "DescribeActiveReceiptRuleSet");
    assertThat(calls.get(1)).containsEntry("RuleSetName", "mg-rules");
    // Deactivation is SetActiveReceiptRuleSet without a name.
    assertThat(calls.get(3)).doesNotContainKey("RuleSetName");
  }
}
