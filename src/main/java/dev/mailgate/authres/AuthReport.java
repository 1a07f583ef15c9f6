package dev.mailgate.authres;

import dev.mailgate.message.Envelope;
import dev.mailgate.spf.SpfResult;

/**
 * Everything authentication found out about one message: the envelope it was judged on and the result
 * of each method. A method that was not run is null.
 */
public record AuthReport(Envelope envelope, SpfResult spf) {}
