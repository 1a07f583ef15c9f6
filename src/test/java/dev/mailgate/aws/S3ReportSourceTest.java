package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.ReportParse;
import dev.mailgate.report.ingest.ReportReader;
import dev.mailgate.report.ingest.Samples;
import dev.mailgate.report.summary.ReportSummary;
import dev.mailgate.report.summary.StoredReports;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;

/** {@code mailgate report summary s3://bucket/prefix}: the stored reports read back from S3 (S3Mock on loopback). */
@ExtendWith(S3MockResolver.class)
class S3ReportSourceTest {

  @Test
  void readsTheWantedObjectsUnderThePrefixOnly(S3MockServer s3mock) throws Exception {
    try (AwsClients clients = AwsClients.create(Region.US_EAST_1, s3mock.endpoint(), null, EndToEnd.CREDENTIALS,
        new AwsClients.Retry(2, Duration.ofMillis(10), Duration.ofMillis(50)))) {
      var s3 = clients.s3();
      ReportParse.Parsed google = (ReportParse.Parsed) new ReportReader()
          .read("g", Samples.bytes("google-like.xml")).get(0);
      String base = "summary-test-" + System.nanoTime() + "/";
      put(s3, base + "reports/dt=2026-09-26/google.com!13954812003218823372.json",
          ReportJson.toJson(google.report(), "g", Instant.parse("2026-09-27T00:00:00Z")));
      put(s3, base + "reports/raw/ms.xml.gz", Samples.gzip(Samples.bytes("microsoft-like.xml")));
      put(s3, base + "reports/readme.txt", "not a report".getBytes());
      put(s3, base + "other/yahoo.xml", Samples.bytes("yahoo-like.xml"));

      StoredReports stored = new StoredReports(new ReportReader());
      new S3ReportSource(s3).addPrefix(S3MockServer.BUCKET, base + "reports/", stored, 1 << 20);
      assertThat(stored.files()).isEqualTo(2);
      ReportSummary s = ReportSummary.of(stored.reports(), stored.problems(), null, null);
      assertThat(s.orgs()).extracting(ReportSummary.Org::name).containsExactly("google.com", "Enterprise Outlook");
      assertThat(s.problems()).isEmpty();
    }
  }

  @Test
  void s3UrisSplitIntoBucketAndPrefix() {
    assertThat(S3ReportSource.parseUri("s3://mail/reports/")).containsExactly("mail", "reports/");
    assertThat(S3ReportSource.parseUri("s3://mail")).containsExactly("mail", "");
    assertThat(S3ReportSource.parseUri("/tmp/reports")).isNull();
    assertThat(S3ReportSource.parseUri("s3:///x")).isNull();
  }

  private static void put(software.amazon.awssdk.services.s3.S3Client s3, String key, byte[] b) {
    s3.putObject(r -> r.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromBytes(b));
  }
}
