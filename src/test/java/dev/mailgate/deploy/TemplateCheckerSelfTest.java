package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;

/**
 * The checker itself: broken copies of template.yaml (one text edit each) must each be reported, with the
 * place and the reason, so that the checks on the real template cannot pass by saying nothing.
 */
class TemplateCheckerSelfTest {
  private static String template;
  private static TemplateChecker checker;

  @BeforeAll
  static void load() throws Exception {
    template = TemplateFile.text();
    checker = TemplateChecker.load();
  }

  static String broken(String old, String replacement) {
    return TemplateFile.broken(old, replacement);
  }

  static List<String> problems(String text) {
    return checker.check(CfnYaml.parse(text));
  }

  record Case(String what, String old, String replacement, String expected) {
    @Override
    public String toString() {
      return what;
    }
  }

  static List<Case> brokenCopies() {
    return List.of(
        new Case("unknown property",
            "      OwnershipControls:",
            "      OwnershipControlz:",
            "Resources.MailBucket.Properties.OwnershipControlz: unknown property of AWS::S3::Bucket"),
        new Case("unknown property in a property type",
            "          - ObjectOwnership: BucketOwnerEnforced",
            "          - ObjectOwner: BucketOwnerEnforced",
            "Resources.MailBucket.Properties.OwnershipControls.Rules[0].ObjectOwner: unknown property of AWS::S3::Bucket.OwnershipControlsRule"),
        new Case("missing required property",
            "      RuleSetName: !If [CreateRuleSet, !Ref ReceiptRuleSet, !Ref ExistingRuleSetName]\n",
            "",
            "Resources.ReceiptRule.Properties.RuleSetName: missing required property of AWS::SES::ReceiptRule"),
        new Case("missing required property in a list item",
            "          - Id: quarantine\n            Status: Enabled\n",
            "          - Id: quarantine\n",
            "Resources.MailBucket.Properties.LifecycleConfiguration.Rules[1].Status: missing required property of AWS::S3::Bucket.Rule"),
        new Case("missing required property two types deep",
            "              BucketName: !Ref MailBucket\n",
            "",
            "Resources.ReceiptRule.Properties.Rule.Actions[0].S3Action.BucketName: missing required property of AWS::SES::ReceiptRule.S3Action"),
        new Case("wrong primitive type",
            "MessageRetentionPeriod: 1209600",
            "MessageRetentionPeriod: two weeks",
            "Resources.DeadLetterQueue.Properties.MessageRetentionPeriod: expected Integer, found String 'two weeks'"),
        new Case("a list where an object belongs",
            "      OwnershipControls:\n        Rules:",
            "      OwnershipControls:\n        - Rules:",
            "Resources.MailBucket.Properties.OwnershipControls: expected an object of AWS::S3::Bucket.OwnershipControls, found a list"),
        new Case("unknown resource type",
            "    Type: AWS::SQS::Queue\n",
            "    Type: AWS::SQS::Queues\n",
            "Resources.DeadLetterQueue.Type: unknown resource type AWS::SQS::Queues"),
        new Case("unknown resource attribute",
            "    UpdateReplacePolicy: Retain\n    Properties:\n      BucketEncryption",
            "    UpdateReplacePolicie: Retain\n    Properties:\n      BucketEncryption",
            "Resources.MailBucket.UpdateReplacePolicie: not a resource attribute"),
        new Case("unknown SAM property",
            "      AutoPublishAliasAllProperties: true",
            "      AutoPublishAllProperties: true",
            "Resources.MailgateFunction.Properties.AutoPublishAllProperties: unknown property"),
        new Case("SAM property of the wrong type",
            "        MaximumRetryAttempts: 2",
            "        MaximumRetryAttempts: two",
            "Resources.MailgateFunction.Properties.EventInvokeConfig.MaximumRetryAttempts: expected integer, found String 'two'"),
        new Case("SAM pass-through property checked against CloudFormation",
            "        ApplyOn: PublishedVersions",
            "        Apply: PublishedVersions",
            "Resources.MailgateFunction.Properties.SnapStart.ApplyOn: missing required property of AWS::Lambda::Function.SnapStart"),
        new Case("SAM pass-through property with a schema path",
            "      Runtime: java21\n      Architectures: [x86_64]\n      Description: !Sub",
            "      Runtime: [java21]\n      Architectures: [x86_64]\n      Description: !Sub",
            "Resources.MailgateFunction.Properties.Runtime: expected String, found a list"),
        new Case("zip function without handler",
            "      Handler: dev.mailgate.aws.SesReceiptHandler::handleRequest\n",
            "",
            "Resources.MailgateFunction.Properties.Handler: missing required property of a zip function"),
        new Case("custom resource without service token",
            "      ServiceToken: !GetAtt ActivateRuleSetFunction.Arn\n",
            "",
            "Resources.ActiveReceiptRuleSet.Properties.ServiceToken: missing required property of a custom resource"),
        new Case("dangling Ref",
            "      FunctionName: !Ref MailgateFunctionAliaslive",
            "      FunctionName: !Ref MailgateFunctionAliasLive",
            "Resources.SesInvokePermission.Properties.FunctionName: Ref MailgateFunctionAliasLive: no parameter, pseudo parameter or resource of that name"),
        new Case("dangling Ref to a parameter",
            "              ObjectKeyPrefix: !Ref ObjectPrefix",
            "              ObjectKeyPrefix: !Ref ObjectPrefixes",
            "Resources.ReceiptRule.Properties.Rule.Actions[0].S3Action.ObjectKeyPrefix: Ref ObjectPrefixes: no parameter, pseudo parameter or resource of that name"),
        new Case("dangling variable in Sub",
            "${MailBucket.Arn}/${QuarantinePrefix}*",
            "${MailBucket.Arn}/${QuarantinePrefx}*",
            "${QuarantinePrefx}: Ref QuarantinePrefx: no parameter, pseudo parameter or resource of that name"),
        new Case("unknown attribute in Sub",
            "${MailBucket.Arn}/${StatePrefix}*",
            "${MailBucket.ARN}/${StatePrefix}*",
            "GetAtt MailBucket.ARN: AWS::S3::Bucket has no attribute ARN"),
        new Case("unknown GetAtt attribute",
            "!GetAtt DeadLetterQueue.QueueName",
            "!GetAtt DeadLetterQueue.Name",
            "Resources.DeadLetterQueueAlarm.Properties.Dimensions[0].Value: GetAtt DeadLetterQueue.Name: AWS::SQS::Queue has no attribute Name"),
        new Case("GetAtt of a missing resource",
            "!GetAtt ActivateRuleSetFunction.Arn",
            "!GetAtt ActivateFunction.Arn",
            "Resources.ActiveReceiptRuleSet.Properties.ServiceToken: GetAtt ActivateFunction: no resource of that name"),
        new Case("unknown condition in Fn::If",
            "Timeout: !If [IsSync, 30, 90]",
            "Timeout: !If [IsSynchronous, 30, 90]",
            "Resources.MailgateFunction.Properties.Timeout: no condition named IsSynchronous"),
        new Case("unknown resource condition",
            "    Condition: HasAlarmEmail\n",
            "    Condition: HasAlarmMail\n",
            "Resources.AlarmEmailSubscription.Condition: no condition named HasAlarmMail"),
        new Case("unknown condition in a condition",
            "[!Condition CreateRuleSet, ",
            "[!Condition CreateOwnRuleSet, ",
            "Conditions.ActivateOwnRuleSet.Fn::And[0]: no condition named CreateOwnRuleSet"),
        new Case("resource Ref in a condition",
            "UseKms: !Equals [!Ref BucketEncryption, SSE-KMS]",
            "UseKms: !Equals [!Ref MailBucket, SSE-KMS]",
            "Ref MailBucket: not a parameter"),
        new Case("dangling DependsOn",
            "DependsOn: [MailBucketPolicy, SesInvokePermission]",
            "DependsOn: [MailBucketPolicy, SesPermission]",
            "Resources.ReceiptRule.DependsOn: no resource named SesPermission"),
        new Case("unknown mapping key",
            "!FindInMap [SesReceiving, !Ref AWS::Region, InboundEndpoint]",
            "!FindInMap [SesReceiving, !Ref AWS::Region, InboundHost]",
            "mapping SesReceiving.us-east-1 has no key InboundHost"),
        new Case("wildcard action",
            "              Action: [s3:GetObject, s3:PutObject]\n",
            "              Action: [s3:Get*, s3:PutObject]\n",
            "Resources.MailgateFunction.Properties.Policies[0].Statement[DeliveryRecords].Action: wildcard action s3:Get*"),
        new Case("the all-actions wildcard",
            "              Action: s3:ListBucket",
            "              Action: '*'",
            "Resources.MailgateFunction.Properties.Policies[0].Statement[MissingKeysAre404].Action: wildcard action *"),
        new Case("wildcard action in a resource policy",
            "            Action: s3:PutObject\n",
            "            Action: s3:*\n",
            "Resources.MailBucketPolicy.Properties.PolicyDocument.Statement[SesStoresMessagesOfThisRule].Action: wildcard action s3:*"),
        new Case("NotAction in a grant",
            "              Action: [s3:GetObject, s3:PutObject]\n",
            "              NotAction: [s3:DeleteBucket]\n",
            "Statement[DeliveryRecords].NotAction: allows every action but the listed ones"),
        new Case("action that does not exist",
            "[ses:SendEmail, ses:SendRawEmail, ses:SendBounce]",
            "[ses:SendEmail, ses:SendRawEmail, ses:SendBounced]",
            "Statement[SendAsTheIdentity].Action: no such IAM action: ses:SendBounced"),
        new Case("star resource for an action that takes resources",
            "              Action: s3:ListBucket\n              Resource: !GetAtt MailBucket.Arn",
            "              Action: s3:ListBucket\n              Resource: '*'",
            "Statement[MissingKeysAre404].Resource: \"*\" for s3:ListBucket, which can be limited to named resources"),
        new Case("SAM policy template",
            "      Policies:\n        - Version: \"2012-10-17\"\n          Statement:\n            # Raw",
            "      Policies:\n        - S3ReadPolicy: {BucketName: !Ref MailBucket}\n        - Version: \"2012-10-17\"\n          Statement:\n            # Raw",
            "Resources.MailgateFunction.Properties.Policies[0]: the SAM policy template [S3ReadPolicy] (its actions are not in the template) cannot be checked"),
        new Case("not a template section",
            "Conditions:\n  IsSync",
            "Condition:\n  IsSync",
            "Condition: not a template section"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenCopies")
  void aBrokenCopyIsReported(Case c) {
    List<String> found = problems(broken(c.old(), c.replacement()));
    assertThat(found).as(c.what()).anySatisfy(p -> assertThat(p).contains(c.expected()));
  }

  @Test
  void theUnbrokenTemplateHasNoProblems() {
    assertThat(problems(template)).isEmpty();
  }

  @Test
  void shortFormsBecomeTheLongForm() {
    var t = CfnYaml.parse("""
        A: !Ref X
        B: !GetAtt R.Attr.Deep
        C: !Sub "${X}"
        D: !If [C, !Select [0, !Split [",", !Ref L]], !Join ["", [a, b]]]
        E: !Condition C
        F: !And [!Or [!Not [!Equals [a, b]], !Condition C], !Equals [c, c]]
        G: !FindInMap [M, !Ref AWS::Region, K]
        H: !ImportValue Exported
        I: !Base64 text
        J: !GetAZs ""
        K: !Cidr [10.0.0.0/16, 4, 8]
        """);
    assertThat(t.get("A")).isEqualTo(java.util.Map.of("Ref", "X"));
    assertThat(t.get("B")).isEqualTo(java.util.Map.of("Fn::GetAtt", List.of("R", "Attr.Deep")));
    assertThat(t.get("C")).isEqualTo(java.util.Map.of("Fn::Sub", "${X}"));
    assertThat(t.get("D").toString()).isEqualTo(
        "{Fn::If=[C, {Fn::Select=[0, {Fn::Split=[,, {Ref=L}]}]}, {Fn::Join=[, [a, b]]}]}");
    assertThat(t.get("E")).isEqualTo(java.util.Map.of("Condition", "C"));
    assertThat(t.get("F").toString()).isEqualTo(
        "{Fn::And=[{Fn::Or=[{Fn::Not=[{Fn::Equals=[a, b]}]}, {Condition=C}]}, {Fn::Equals=[c, c]}]}");
    assertThat(t.get("G").toString()).isEqualTo("{Fn::FindInMap=[M, {Ref=AWS::Region}, K]}");
    assertThat(t.get("H")).isEqualTo(java.util.Map.of("Fn::ImportValue", "Exported"));
    assertThat(t.get("I")).isEqualTo(java.util.Map.of("Fn::Base64", "text"));
    assertThat(t.get("J")).isEqualTo(java.util.Map.of("Fn::GetAZs", ""));
    assertThat(t.get("K")).isEqualTo(java.util.Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)));
  }

  @Test
  void aDuplicateKeyIsRefused() {
    assertThatThrownBy(() -> CfnYaml.parse(broken("  DeadLetterQueue:\n    Type", "  AlarmTopic:\n    Type")))
        .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("AlarmTopic");
  }
}
