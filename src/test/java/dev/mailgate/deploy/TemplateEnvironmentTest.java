package dev.mailgate.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.aws.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway function is given every environment variable the code reads, and no function is given one
 * the code does not read. What the code reads is Config.ENVIRONMENT_VARIABLES, checked against the
 * bytecode: every MAILGATE_ name in the aws package's class files is in that list, and nothing there calls
 * System.getenv(String) past Config.
 */
class TemplateEnvironmentTest {
  /** What the gateway function reads: every variable but the report function's own. */
  static final List<String> GATEWAY_READS = Config.ENVIRONMENT_VARIABLES.stream()
      .filter(v -> !Config.REPORT_ONLY_VARIABLES.contains(v)).toList();

  private static final Pattern NAME = Pattern.compile("\\bMAILGATE_[A-Z0-9_]+\\b");

  @Test
  void theTemplateSetsExactlyTheVariablesTheCodeReads() {
    Map<String, Object> template = TemplateFile.parsed();
    assertThat(EnvironmentCheck.problems(template, TemplateIamTest.GATEWAY, GATEWAY_READS, Config.ENVIRONMENT_VARIABLES,
        Config.RUNTIME_VARIABLES)).isEmpty();
    assertThat(EnvironmentCheck.problems(template, TemplateIamTest.REPORTS, Config.REPORT_VARIABLES,
        Config.ENVIRONMENT_VARIABLES, Config.RUNTIME_VARIABLES)).isEmpty();
    // The gateway function is given every variable but the report function's own.
    assertThat(EnvironmentCheck.variables(template, TemplateIamTest.GATEWAY))
        .containsExactlyInAnyOrderElementsOf(Config.ENVIRONMENT_VARIABLES.stream()
            .filter(v -> !Config.REPORT_ONLY_VARIABLES.contains(v)).toList());
    // The sweep runs the same code with the same settings.
    List<String> gatewayVariables = Config.ENVIRONMENT_VARIABLES.stream()
        .filter(v -> !Config.REPORT_ONLY_VARIABLES.contains(v)).toList();
    assertThat(EnvironmentCheck.problems(template, TemplateIamTest.SWEEP, gatewayVariables,
        Config.ENVIRONMENT_VARIABLES, Config.RUNTIME_VARIABLES)).isEmpty();
    assertThat(EnvironmentCheck.variables(template, TemplateIamTest.SWEEP))
        .containsExactlyInAnyOrderElementsOf(Config.ENVIRONMENT_VARIABLES.stream()
            .filter(v -> !Config.REPORT_ONLY_VARIABLES.contains(v)).toList());
  }

  /**
   * The gateway runs with the optimising JIT unless the JitCompiler parameter says c1 (the Lambda java21
   * runtime stops at C1 by default; docs/PERFORMANCE.md): the only variable the code does not read.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theGatewaysJitCompilerComesFromItsParameter() {
    Map<String, Object> template = TemplateFile.parsed();
    Map<String, Object> fn = (Map<String, Object>) ((Map<String, Object>) template.get("Resources"))
        .get(TemplateIamTest.GATEWAY);
    Map<String, Object> vars = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) fn
        .get("Properties")).get("Environment")).get("Variables");
    assertThat(String.valueOf(vars.get("JAVA_TOOL_OPTIONS")))
        .contains("JitC2").contains("-XX:TieredStopAtLevel=4").contains("-XX:TieredStopAtLevel=1");
    // Both choices open java.math for the RSA verifier's Montgomery routines (dev.mailgate.dkim.rsa), in
    // the gateway and in the sweep, which re-authenticates what it re-drives.
    for (String function : List.of(TemplateIamTest.GATEWAY, "SweepFunction")) {
      Map<String, Object> f = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(function);
      Map<String, Object> v = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) f
          .get("Properties")).get("Environment")).get("Variables");
      assertThat(String.valueOf(v.get("JAVA_TOOL_OPTIONS")).split("--add-opens=java.base/java.math=ALL-UNNAMED", -1))
          .as(function).hasSize(3);
    }
    Map<String, Object> param = (Map<String, Object>) ((Map<String, Object>) template.get("Parameters"))
        .get("JitCompiler");
    assertThat(param.get("Default")).isEqualTo("c2");
  }

  @Test
  void theReportFunctionIsGivenExactlyWhatConfigReportingReads() {
    Map<String, Object> template = TemplateFile.parsed();
    assertThat(EnvironmentCheck.variables(template, TemplateIamTest.REPORTS))
        .containsExactlyInAnyOrderElementsOf(Config.REPORT_VARIABLES);
    assertThat(Config.ENVIRONMENT_VARIABLES).containsAll(Config.REPORT_VARIABLES);
  }

  @Test
  void theAwsPackageNamesNoVariableBeyondConfigsList() throws Exception {
    Set<String> named = new TreeSet<>();
    List<Path> classes;
    try (Stream<Path> s = Files.walk(Path.of("target/classes/dev/mailgate/aws"))) {
      classes = s.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertThat(classes).hasSizeGreaterThan(10);
    for (Path c : classes) {
      for (String constant : ClassConstants.utf8(c)) {
        Matcher m = NAME.matcher(constant);
        while (m.find()) {
          named.add(m.group());
        }
      }
    }
    assertThat(named).containsExactlyInAnyOrderElementsOf(Config.ENVIRONMENT_VARIABLES);
  }

  @Test
  void onlyConfigReadsTheEnvironment() {
    noClasses().that().resideInAPackage("dev.mailgate.aws..")
        .should().callMethod(System.class, "getenv", String.class)
        .check(SdkCalls.mainClasses());
  }

  @Test
  void theGetenvRuleFindsACallWhereThereIsOne() {
    // The CLI reads MAILGATE_DEBUG directly: the same rule applied there must fail, or it checks nothing.
    assertThatThrownBy(() -> noClasses().that().resideInAPackage("dev.mailgate.cli..")
        .should().callMethod(System.class, "getenv", String.class)
        .check(SdkCalls.mainClasses()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("java.lang.System.getenv(java.lang.String)");
  }

  @Test
  void aVariableTheCodeDoesNotReadIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken("          MAILGATE_BUCKET: !Ref MailBucket\n",
        "          MAILGATE_BUCKET: !Ref MailBucket\n          MAILGATE_BUCKET_NAME: !Ref MailBucket\n"));
    assertThat(EnvironmentCheck.problems(t, TemplateIamTest.GATEWAY, GATEWAY_READS, Config.ENVIRONMENT_VARIABLES,
        Config.RUNTIME_VARIABLES))
        .containsExactly("MailgateFunction: sets MAILGATE_BUCKET_NAME, which the code does not read");
  }

  @Test
  void aVariableTheTemplateForgetsIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken("          MAILGATE_CONFIG_S3: !Ref ConfigS3Uri\n", ""));
    assertThat(EnvironmentCheck.problems(t, TemplateIamTest.GATEWAY, GATEWAY_READS, Config.ENVIRONMENT_VARIABLES,
        Config.RUNTIME_VARIABLES))
        .containsExactly("MailgateFunction: the code reads MAILGATE_CONFIG_S3, which the template does not set");
  }

  @Test
  void aReservedVariableIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken("          MAILGATE_BUCKET: !Ref MailBucket\n",
        "          MAILGATE_BUCKET: !Ref MailBucket\n          AWS_REGION: eu-west-1\n"));
    assertThat(EnvironmentCheck.problems(t, TemplateIamTest.GATEWAY, GATEWAY_READS, Config.ENVIRONMENT_VARIABLES,
        Config.RUNTIME_VARIABLES))
        .containsExactly("MailgateFunction: sets AWS_REGION, which Lambda reserves and sets itself");
  }
}
