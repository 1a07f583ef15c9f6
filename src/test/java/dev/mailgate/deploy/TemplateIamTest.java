package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The functions' IAM policies grant exactly the actions their code calls: the calls are found in the
 * compiled classes (ArchUnit), each mapped to its IAM actions (SdkCalls.ACTIONS).
 */
class TemplateIamTest {
  static final String GATEWAY = "MailgateFunction";
  static final String ACTIVATION = "ActivateRuleSetFunction";
  /** The scheduled sweep re-drives messages through the gateway code: it needs exactly the same grants. */
  static final String SWEEP = "SweepFunction";
  static final String REPORTS = "AggregateReportFunction";
  /** An SSE-KMS bucket: reading an object decrypts its data key, writing one generates a data key. */
  static final Set<String> KMS_FOR_S3 = Set.of("kms:Decrypt", "kms:GenerateDataKey");

  private static List<SdkCalls.Call> calls;
  private static Map<String, Object> template;

  /** The classes only the aggregate report function runs (it makes no call through the gateway's classes). */
  static final Set<String> REPORT_CLASSES = Set.of("dev.mailgate.aws.AggregateReportHandler",
      "dev.mailgate.aws.S3ReportStore", "dev.mailgate.aws.SesReportSender");
  static final Predicate<String> REPORT_CODE = c -> REPORT_CLASSES.contains(c.replaceAll("\\$.*", ""));
  static final Predicate<String> GATEWAY_CODE = c -> c.startsWith("dev.mailgate.aws.") && !c.startsWith("dev.mailgate.aws.deploy.")
      && !REPORT_CODE.test(c);
  static final Predicate<String> ACTIVATION_CODE = c -> c.startsWith("dev.mailgate.aws.deploy.");

  @BeforeAll
  static void scan() throws Exception {
    calls = SdkCalls.calls();
    template = CfnYaml.load(TemplateSchemaTest.TEMPLATE);
  }

  @Test
  void theScanFindsTheCallsTheCodeIsKnownToMake() {
    // Guards the scan itself: these calls are in S3MessageStore, SesMailSender and SesReceiptRuleSets.
    assertThat(calls).extracting(SdkCalls.Call::method).contains(
        SdkCalls.S3 + ".getObject", SdkCalls.S3 + ".putObjectTagging", SdkCalls.S3 + ".copyObject",
        SdkCalls.S3 + ".deleteObject", SdkCalls.SES_V2 + ".sendEmail", SdkCalls.SES + ".sendBounce",
        SdkCalls.SES + ".setActiveReceiptRuleSet");
  }

  @Test
  void everyCallIsMappedToItsActions() {
    List<String> unmapped = new ArrayList<>();
    SdkCalls.actionsNeeded(calls, c -> true, unmapped);
    assertThat(unmapped).as("client methods without an IAM mapping in SdkCalls.ACTIONS").isEmpty();
  }

  @Test
  void onlyTheAwsPackageCallsAws() {
    assertThat(calls).allSatisfy(c -> assertThat(c.caller()).startsWith("dev.mailgate.aws."));
  }

  @Test
  void theGatewayFunctionIsGrantedExactlyWhatItsCodeCalls() {
    Set<String> needed = SdkCalls.actionsNeeded(calls, GATEWAY_CODE, new ArrayList<>());
    assertThat(needed).contains("s3:GetObject", "s3:ListBucket", "ses:SendRawEmail");
    assertThat(FunctionPolicies.problems(template, GATEWAY, needed, KMS_FOR_S3)).isEmpty();
  }

  @Test
  void theSweepFunctionRunsTheGatewayCodeWithTheGatewaysRole() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
        template.get("Resources")).get(SWEEP)).get("Properties");
    assertThat(props).doesNotContainKey("Policies");
    assertThat(String.valueOf(props.get("Role"))).contains("MailgateFunctionRole").contains("Arn");
    // Its code is the gateway's (so the grants checked above are exactly what it calls too), listing included.
    String handler = String.valueOf(props.get("Handler"));
    assertThat(GATEWAY_CODE.test(handler.substring(0, handler.indexOf("::")))).isTrue();
    assertThat(calls).filteredOn(c -> GATEWAY_CODE.test(c.caller())).extracting(SdkCalls.Call::method)
        .contains(SdkCalls.S3 + ".listObjectsV2");
  }

  @Test
  void theActivationFunctionIsGrantedExactlyWhatItsCodeCalls() {
    Set<String> needed = SdkCalls.actionsNeeded(calls, ACTIVATION_CODE, new ArrayList<>());
    assertThat(needed).containsExactlyInAnyOrder("ses:SetActiveReceiptRuleSet", "ses:DescribeActiveReceiptRuleSet");
    assertThat(FunctionPolicies.problems(template, ACTIVATION, needed, Set.of())).isEmpty();
  }

  @Test
  void theReportFunctionIsGrantedExactlyWhatItsCodeCalls() {
    Set<String> needed = SdkCalls.actionsNeeded(calls, REPORT_CODE, new ArrayList<>());
    assertThat(needed).containsExactlyInAnyOrder("s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject",
        "ses:SendEmail", "ses:SendRawEmail");
    assertThat(FunctionPolicies.problems(template, REPORTS, needed, KMS_FOR_S3)).isEmpty();
  }

  @Test
  void theReportFunctionsCodeCallsNeitherBouncesNorTags() {
    // The scan must see its calls (or the exact-grant test above checks nothing) and none of the gateway's.
    assertThat(calls).filteredOn(c -> REPORT_CODE.test(c.caller())).extracting(SdkCalls.Call::method)
        .contains(SdkCalls.S3 + ".listObjectsV2", SdkCalls.SES_V2 + ".sendEmail")
        .doesNotContain(SdkCalls.SES + ".sendBounce", SdkCalls.S3 + ".putObjectTagging");
  }

  @Test
  void theGatewaysGrantsNameOnlyItsBucketItsIdentityAndItsKey() {
    for (PolicyStatements.Statement s : PolicyStatements.all(template, new ArrayList<>())) {
      if (!s.owner().equals(GATEWAY) && !s.owner().equals(SWEEP)) {
        continue;
      }
      for (Object r : s.resources()) {
        String text = String.valueOf(r);
        assertThat(text).as(s.path() + " resource").satisfiesAnyOf(
            t -> assertThat(t).contains("MailBucket"),
            t -> assertThat(t).contains("ConfigS3Uri"),
            t -> assertThat(t).contains(":identity/${SenderIdentity}"),
            t -> assertThat(t).contains(":configuration-set/${ConfigurationSetName}"),
            t -> assertThat(t).contains("MailKey"));
      }
    }
  }

  @Test
  void aMissingGrantIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken(
        "Action: [s3:GetObject, s3:GetObjectTagging, s3:PutObjectTagging, s3:DeleteObject]",
        "Action: [s3:GetObject, s3:GetObjectTagging, s3:PutObjectTagging]"));
    Set<String> needed = SdkCalls.actionsNeeded(calls, GATEWAY_CODE, new ArrayList<>());
    assertThat(FunctionPolicies.problems(t, GATEWAY, needed, KMS_FOR_S3))
        .containsExactly("MailgateFunction: the code needs s3:DeleteObject, which its policies do not grant");
  }

  @Test
  void aGrantNoCodeNeedsIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken(
        "Action: [ses:SendEmail, ses:SendRawEmail, ses:SendBounce]",
        "Action: [ses:SendEmail, ses:SendRawEmail, ses:SendBounce, ses:SendTemplatedEmail]"));
    Set<String> needed = SdkCalls.actionsNeeded(calls, GATEWAY_CODE, new ArrayList<>());
    assertThat(FunctionPolicies.problems(t, GATEWAY, needed, KMS_FOR_S3))
        .containsExactly("MailgateFunction: its policies grant ses:SendTemplatedEmail, which no call in its code needs");
  }
}
