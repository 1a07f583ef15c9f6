package dev.mailgate.spf;

/** The outcome of parsing an SPF record's text: a record, or the first syntax error found. */
sealed interface RecordParse {
  /** A record whose every term is valid (RFC 7208 section 4.6: the whole record is checked first). */
  record Valid(SpfRecord record) implements RecordParse {}

  /** A record with a syntax error; check_host() gives permerror. */
  record Invalid(String error) implements RecordParse {}
}
