package dev.mailgate.gateway;

import dev.mailgate.policy.SesVerdicts;
import java.util.List;

/**
 * What an SES receipt event says about a message beyond where it is stored: the envelope as SES saw it,
 * its verdicts, and how the function was invoked. Immutable. Absent for an S3 event, where the gateway
 * reads what it can from the stored message itself.
 *
 * @param messageId SES's message ID ({@code mail.messageId}), also the object key without its prefix
 * @param mailFrom the envelope sender ({@code mail.source}); "" for the null reverse-path
 * @param recipients the envelope recipients this receipt rule matched ({@code receipt.recipients})
 * @param verdicts SES's verdicts ({@code receipt.*Verdict}, {@code receipt.dmarcPolicy})
 * @param headersTruncated whether SES truncated the headers in the event ({@code mail.headersTruncated});
 *     the stored message is read in full anyway
 * @param synchronous whether SES waits for an answer (invocationType RequestResponse)
 * @param timestamp when SES received the message ({@code mail.timestamp}), as written; may be null
 */
public record SesReceipt(String messageId, String mailFrom, List<String> recipients, SesVerdicts verdicts,
    boolean headersTruncated, boolean synchronous, String timestamp) {
  public SesReceipt {
    recipients = List.copyOf(recipients);
  }
}
