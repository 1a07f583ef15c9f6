package dev.mailgate.aws.deploy;

import java.util.Optional;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.DescribeActiveReceiptRuleSetResponse;

/**
 * {@link ReceiptRuleSets} through the SES (v1) API: DescribeActiveReceiptRuleSet and SetActiveReceiptRuleSet
 * (without a name it deactivates). IAM: ses:DescribeActiveReceiptRuleSet and ses:SetActiveReceiptRuleSet,
 * which take no resource type. Thread-safe.
 */
public final class SesReceiptRuleSets implements ReceiptRuleSets {
  private final SesClient ses;

  public SesReceiptRuleSets(SesClient ses) {
    this.ses = ses;
  }

  @Override
  public Optional<String> active() {
    DescribeActiveReceiptRuleSetResponse r = ses.describeActiveReceiptRuleSet(b -> {});
    return r.metadata() == null ? Optional.empty() : Optional.ofNullable(r.metadata().name());
  }

  @Override
  public void activate(String ruleSetName) {
    ses.setActiveReceiptRuleSet(b -> b.ruleSetName(ruleSetName));
  }

  @Override
  public void deactivate() {
    ses.setActiveReceiptRuleSet(b -> {});
  }
}
