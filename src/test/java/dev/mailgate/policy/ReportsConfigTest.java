package dev.mailgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code reports} section: defaults, values, and errors named by their JSON path. */
class ReportsConfigTest {

  @Test
  void withoutTheSectionNoAddressIsAReportAddress() {
    PolicyConfig c = Configs.parse(Configs.BASE);
    assertThat(c.reports().addresses()).isEmpty();
    assertThat(c.reports().prefix()).isEqualTo("reports/");
    assertThat(c.reports().deliver()).isFalse();
    assertThat(c.reports().isReportAddress("dmarc@mailgate.example")).isFalse();
  }

  @Test
  void addressesPrefixAndDeliverAreRead() {
    PolicyConfig c = Configs.parse(Configs.baseWith("""
        "reports": {"addresses": ["DMARC@Mailgate.Example", "rua@mailgate.example"], "prefix": "dmarc/in/",
                    "deliver": true}
        """));
    assertThat(c.reports().addresses()).containsExactly("DMARC@mailgate.example", "rua@mailgate.example");
    assertThat(c.reports().prefix()).isEqualTo("dmarc/in/");
    assertThat(c.reports().deliver()).isTrue();
    assertThat(c.reports().isReportAddress("dmarc@MAILGATE.example")).isTrue();
    assertThat(c.reports().isReportAddress("rua@mailgate.example")).isTrue();
    assertThat(c.reports().isReportAddress("bob@mailgate.example")).isFalse();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "\"reports\": {\"addresses\": [\"not an address\"]}|$.reports.addresses[0]: not an email address",
      "\"reports\": {\"addresses\": [\"dmarc@elsewhere.example\"]}|$.reports.addresses[0]: domain 'elsewhere.example' is not one of $.domains",
      "\"reports\": {\"addresses\": []}|$.reports.addresses: must not be empty",
      "\"reports\": {\"addresses\": \"dmarc@mailgate.example\", \"prefix\": \"/abs\"}|$.reports.prefix: must be a non-empty key prefix",
      "\"reports\": {\"addresses\": \"dmarc@mailgate.example\", \"prefix\": \"quarantine/reports/\"}|$.reports.prefix: must not overlap",
      "\"reports\": {\"addresses\": \"dmarc@mailgate.example\", \"deliver\": \"yes\"}|$.reports.deliver: must be true or false",
      "\"reports\": {\"adresses\": [\"dmarc@mailgate.example\"]}|$.reports.adresses: unknown setting (did you mean 'addresses'?)",
      "\"reports\": []|$.reports: must be an object"
  })
  void mistakesAreNamedByTheirPath(String member, String expected) {
    String json = Configs.baseWith(member);
    assertThatThrownBy(() -> PolicyConfigParser.parse(json, "config.json"))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(expected)));
  }

  @Test
  void aSingleAddressMayBeAString() {
    PolicyConfig c = Configs.parse(Configs.baseWith("\"reports\": {\"addresses\": \"dmarc@mailgate.example\"}"));
    assertThat(c.reports().addresses()).isEqualTo(List.of("dmarc@mailgate.example"));
  }
}
