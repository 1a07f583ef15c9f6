package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.aws.Config;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the template and the gateway code must agree on, beyond names: prefixes, retries, time limits, wiring. */
class TemplateConsistencyTest {
  private static Map<String, Object> template;
  private static PolicyConfig sample;

  @BeforeAll
  static void load() throws Exception {
    template = TemplateFile.parsed();
    sample = PolicyConfigParser.parse(Files.readAllBytes(Path.of("events/config.json")), "events/config.json");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object root, String... path) {
    Object v = root;
    for (String p : path) {
      v = ((Map<String, Object>) v).get(p);
    }
    return (Map<String, Object>) v;
  }

  private static Object parameterDefault(String name) {
    return map(template, "Parameters", name).get("Default");
  }

  @Test
  void thePrefixesDefaultToTheConfigurationsDefaults() {
    // events/config.json sets neither quarantine.prefix nor statePrefix: the parser's defaults.
    assertThat(parameterDefault("QuarantinePrefix")).isEqualTo(sample.quarantine().prefix());
    assertThat(parameterDefault("StatePrefix")).isEqualTo(sample.statePrefix());
  }

  @Test
  void lambdaRetriesAsOftenAsTheConfigurationExpects() {
    Object retries = map(template, "Resources", "MailgateFunction", "Properties", "EventInvokeConfig")
        .get("MaximumRetryAttempts");
    assertThat((Integer) retries + 1).isEqualTo(sample.maxAttempts());
  }

  @Test
  void theSyncBudgetFitsSesAndTheFunctionTimeout() {
    Map<String, Object> props = map(template, "Resources", "MailgateFunction", "Properties");
    Map<String, Object> env = map(props, "Environment", "Variables");
    long sync = Long.parseLong((String) env.get(Config.SYNC_TIMEOUT_MS));
    long margin = Long.parseLong((String) env.get(Config.SAFETY_MARGIN_MS));
    List<?> timeout = (List<?>) map(props, "Timeout").get("Fn::If");
    assertThat(timeout.get(0)).isEqualTo("IsSync");
    int syncTimeoutSeconds = (Integer) timeout.get(1);
    assertThat(syncTimeoutSeconds).as("SES waits 30 s for a synchronous answer").isLessThanOrEqualTo(30);
    assertThat(sync + margin).isLessThanOrEqualTo(syncTimeoutSeconds * 1000L);
    assertThat((Integer) timeout.get(2)).isGreaterThan(syncTimeoutSeconds);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theTemplatesLiteralEnvironmentPassesConfig() {
    Map<String, Object> env = map(template, "Resources", "MailgateFunction", "Properties", "Environment", "Variables");
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, Object> e : env.entrySet()) {
      Object v = e.getValue();
      if (v instanceof String) {
        values.put(e.getKey(), (String) v);
      } else if ("Ref".equals(Intrinsics.function(v))) {
        Object param = ((Map<String, Object>) template.get("Parameters")).get(Intrinsics.argument(v));
        values.put(e.getKey(), param == null ? "a-resource" : String.valueOf(((Map<String, Object>) param).get("Default")));
      }
    }
    values.put(Config.CONFIG, "{}"); // the deployer's one configuration source
    values.put(Config.AWS_REGION, "eu-west-1");
    Config c = Config.fromEnvironment(values);
    assertThat(c.objectPrefix()).isEqualTo(parameterDefault("ObjectPrefix"));
    assertThat(c.dnsServers()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theRuleStoresFirstThenInvokesTheAliasAndRequiresTls() {
    Map<String, Object> rule = map(template, "Resources", "ReceiptRule", "Properties", "Rule");
    List<Map<String, Object>> actions = (List<Map<String, Object>>) rule.get("Actions");
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).containsOnlyKeys("S3Action");
    assertThat(map(actions.get(0), "S3Action")).containsEntry("BucketName", Map.of("Ref", "MailBucket"))
        .containsEntry("ObjectKeyPrefix", Map.of("Ref", "ObjectPrefix")).doesNotContainKey("KmsKeyArn");
    assertThat(map(actions.get(1), "LambdaAction")).containsEntry("FunctionArn", Map.of("Ref", "MailgateFunctionAliaslive"))
        .containsEntry("InvocationType", Map.of("Ref", "InvocationMode"));
    assertThat(rule).containsEntry("TlsPolicy", "Require").containsEntry("ScanEnabled", true);
    assertThat((List<Object>) map(template, "Resources", "ReceiptRule").get("DependsOn"))
        .contains("MailBucketPolicy", "SesInvokePermission");
    assertThat(map(template, "Parameters", "InvocationMode").get("AllowedValues"))
        .isEqualTo(List.of("Event", "RequestResponse"));
  }

  @Test
  void sesIsLetInOnlyForThisRuleEverywhere() {
    // The rule's ARN is written three times (bucket policy, Lambda permission, key policy): the same each time.
    Object permission = map(template, "Resources", "SesInvokePermission", "Properties").get("SourceArn");
    @SuppressWarnings("unchecked")
    Map<String, Object> bucketStatement = (Map<String, Object>) ((List<?>) map(template, "Resources", "MailBucketPolicy",
        "Properties", "PolicyDocument").get("Statement")).get(0);
    Object bucket = map(bucketStatement, "Condition", "StringEquals").get("aws:SourceArn");
    @SuppressWarnings("unchecked")
    Map<String, Object> keyStatement = (Map<String, Object>) ((List<?>) map(template, "Resources", "MailKey",
        "Properties", "KeyPolicy").get("Statement")).get(1);
    Object key = map(keyStatement, "Condition", "StringEquals").get("aws:SourceArn");
    assertThat(bucket).isEqualTo(permission).isEqualTo(key);
    assertThat(permission.toString()).contains(":receipt-rule-set/${RuleSet}:receipt-rule/${AWS::StackName}-mailgate");
    assertThat(map(template, "Resources", "ReceiptRule", "Properties", "Rule").get("Name"))
        .isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-mailgate"));
    assertThat(map(template, "Resources", "ReceiptRuleSet", "Properties").get("RuleSetName"))
        .isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-rules"));
    assertThat(map(bucketStatement, "Condition", "StringEquals").get("aws:SourceAccount"))
        .isEqualTo(Map.of("Ref", "AWS::AccountId"));
  }

  @Test
  void everyReceivingRegionMapsToItsInboundEndpoint() {
    Map<String, Object> regions = map(template, "Mappings", "SesReceiving");
    assertThat(regions).isNotEmpty();
    regions.forEach((region, v) -> assertThat(map(v, new String[0]).get("InboundEndpoint"))
        .isEqualTo("inbound-smtp." + region + ".amazonaws.com"));
  }
}
