package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handlers named in the template exist in the compiled classes, with the method named. */
class TemplateHandlersTest {
  @Test
  void everyHandlerExists() {
    Map<String, Object> template = TemplateFile.parsed();
    assertThat(HandlerCheck.handlers(template)).containsOnly(
        Map.entry("MailgateFunction", "dev.mailgate.aws.SesReceiptHandler::handleRequest"),
        Map.entry("SweepFunction", "dev.mailgate.aws.SweepHandler::handleRequest"),
        Map.entry("ActivateRuleSetFunction", "dev.mailgate.aws.deploy.ActiveReceiptRuleSetHandler::handleRequest"),
        Map.entry("AggregateReportFunction", "dev.mailgate.aws.AggregateReportHandler::handleRequest"));
    assertThat(HandlerCheck.problems(template)).isEmpty();
  }

  @Test
  void aMissingClassIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken("Handler: dev.mailgate.aws.SesReceiptHandler::",
        "Handler: dev.mailgate.aws.SesReceiptHandlr::"));
    assertThat(HandlerCheck.problems(t)).containsExactly("MailgateFunction.Handler "
        + "dev.mailgate.aws.SesReceiptHandlr::handleRequest: no class dev.mailgate.aws.SesReceiptHandlr on the classpath");
  }

  @Test
  void aMissingMethodIsReported() {
    // handle(Map, Context) is public and takes the Context last: Lambda could call it, so it passes.
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken("Handler: dev.mailgate.aws.SesReceiptHandler::handleRequest",
        "Handler: dev.mailgate.aws.SesReceiptHandler::handle"));
    assertThat(HandlerCheck.problems(t)).isEmpty();
    t = CfnYaml.parse(TemplateFile.broken("Handler: dev.mailgate.aws.SesReceiptHandler::handleRequest",
        "Handler: dev.mailgate.aws.SesReceiptHandler::handleEvent"));
    assertThat(HandlerCheck.problems(t)).containsExactly("MailgateFunction.Handler "
        + "dev.mailgate.aws.SesReceiptHandler::handleEvent: dev.mailgate.aws.SesReceiptHandler has no public method"
        + " handleEvent(..., Context)");
  }

  @Test
  void aClassThatIsNoHandlerIsReported() {
    Map<String, Object> t = CfnYaml.parse(TemplateFile.broken("Handler: dev.mailgate.aws.SesReceiptHandler::handleRequest",
        "Handler: dev.mailgate.aws.Config::fromEnvironment"));
    assertThat(HandlerCheck.problems(t)).contains(
        "MailgateFunction.Handler dev.mailgate.aws.Config::fromEnvironment: Lambda needs a public constructor without arguments",
        "MailgateFunction.Handler dev.mailgate.aws.Config::fromEnvironment: implements neither RequestHandler nor RequestStreamHandler");
  }
}
