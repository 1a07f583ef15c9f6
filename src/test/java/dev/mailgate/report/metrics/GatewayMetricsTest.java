package dev.mailgate.report.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.Harness;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.ObjectState;
import dev.mailgate.gateway.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's log line per message is valid EMF with Messages by Action and Verdict, and totals. */
class GatewayMetricsTest {
  @TempDir Path dir;

  static byte[] message(String rcpt) {
    return dev.mailgate.gateway.TestMessages.fromAlice(rcpt);
  }

  @Test
  void everyMessageLineIsValidEmf() throws Exception {
    Harness h = new Harness(dir, "", Harness.sampleDns(), Gateway.SES_MAX_MESSAGE_BYTES);
    Outcome delivered = h.runS3(h.put("m1", message("bob@mailgate.example")));
    Outcome discarded = h.runS3(h.put("m2", message("noreply@mailgate.example")));
    h.runS3(new MessageRef("bucket", "missing", "missing"));
    List<String> lines = h.logLines();
    assertThat(lines).hasSize(3);
    Map<String, Object> first = EmfCheck.valid(lines.get(0));
    assertThat(first).containsEntry("Action", delivered.verdict().action().word())
        .containsEntry("Verdict", delivered.verdict().rule()).containsEntry("Messages", 1)
        .containsEntry("DeliveryFailures", 0).containsKey("ProcessingTime");
    assertThat(EmfCheck.valid(lines.get(1))).containsEntry("Action", discarded.verdict().action().word());
    // Processing stopped before a verdict: still one message, with "none".
    assertThat(EmfCheck.valid(lines.get(2))).containsEntry("Action", "none").containsEntry("Verdict", "none");
    assertThat(first.get("_aws").toString()).contains("Dimensions=[[Action], [Verdict]]").contains("Dimensions=[[]]")
        .contains("Unit=Milliseconds");
  }

  @Test
  void aFailedDeliveryCountsAsOne() throws Exception {
    Harness h = new Harness(dir, "", Harness.sampleDns(), Gateway.SES_MAX_MESSAGE_BYTES);
    h.sender.failNext(dev.mailgate.gateway.SendException.Kind.PERMANENT);
    Outcome o = h.runS3(h.put("m3", message("bob@mailgate.example")));
    assertThat(o.state()).isEqualTo(ObjectState.FAILED);
    assertThat(EmfCheck.valid(h.logLines().get(0))).containsEntry("DeliveryFailures", 1);
  }
}
