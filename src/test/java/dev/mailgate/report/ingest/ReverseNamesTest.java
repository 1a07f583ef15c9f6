package dev.mailgate.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Source names by forward-confirmed reverse DNS (the name's addresses must include the source). */
class ReverseNamesTest {
  @Test
  void onlyForwardConfirmedNamesAreRecorded() throws Exception {
    InetAddress good = InetAddress.getByName("192.0.2.10");
    InetAddress liar = InetAddress.getByName("203.0.113.66");
    InMemoryResolver dns = InMemoryResolver.builder()
        .ptr(good, "mail-out.mailgate.example.")
        .address("mail-out.mailgate.example", "192.0.2.10")
        .ptr(liar, "mail.google.com.") // claims a name whose addresses do not include it
        .address("mail.google.com", "198.51.100.1")
        .timeout("7.100.51.198.in-addr.arpa", RecordType.PTR)
        .build();
    ReceivedReport r = ((ReportParse.Parsed) new ReportReader().read("g", Samples.bytes("google-like.xml")).get(0))
        .report();
    ReceivedReport named = new ReverseNames(dns).resolve(r);
    assertThat(named.records()).extracting(ReceivedReport.Record::sourceName)
        .containsExactly("mail-out.mailgate.example", null, null);
    assertThat(named.records()).extracting(ReceivedReport.Record::count).containsExactly(1200L, 37L, 4L);
    assertThat(ReportJson.toString(named, "g", null)).contains("\"sourceName\":\"mail-out.mailgate.example\"");
  }
}
