package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** template.yaml against the SAM schema, the CloudFormation spec subset and the IAM action list. */
class TemplateSchemaTest {
  static final Path TEMPLATE = Path.of("template.yaml");

  @Test
  void theTemplatePassesEveryCheck() throws Exception {
    Map<String, Object> template = CfnYaml.load(TEMPLATE);
    assertThat(TemplateChecker.load().check(template)).isEmpty();
  }
}
