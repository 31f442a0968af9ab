package io.threadwire.tyrus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * One parsed client frame: {@code join}, {@code leave} or {@code ping}; see {@code PROTOCOL.md}.
 * Parsing never throws for bad input: it returns a frame whose {@link #error} says what was wrong.
 * The first problem in document order wins: a syntax error, a repeated field, or anything after the
 * object is {@code malformed_json}; otherwise the first known field with a wrong type or range is
 * {@code invalid_field}; then a missing {@code type} is {@code missing_field}. The {@code ref} is
 * kept whenever it was read as a valid string before the parse ended, wherever it stands.
 *
 * @param type the {@code type} field, or null
 * @param thread the {@code thread} field, or null
 * @param since the {@code since} field, or -1 when absent
 * @param epoch the {@code epoch} field, or -1 when absent
 * @param ref the client's correlation {@code ref}, or null
 * @param error what is wrong with the frame, or null
 * @param reason why, for the error frame
 */
record ClientFrame(
    String type,
    String thread,
    long since,
    long epoch,
    String ref,
    ErrorCode error,
    String reason) {

  /** The longest {@code ref} accepted, so that echoing it costs little. */
  static final int MAX_REF_LENGTH = 64;

  /** Client frames are parsed strictly: a repeated field name is a syntax error. */
  private static final JsonFactory STRICT =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  static ClientFrame parse(String text) {
    String type = null;
    String thread = null;
    long since = -1;
    long epoch = -1;
    String ref = null;
    ErrorCode error = null;
    String reason = null;
    try (JsonParser p = STRICT.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return invalid(ErrorCode.MALFORMED_JSON, "a frame must be a JSON object", null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          // A container is the wrong type for every known field, and is skipped whole.
          p.skipChildren();
        }
        switch (name) {
          case "type" -> {
            if (value == JsonToken.VALUE_STRING) {
              type = p.getText();
            } else if (error == null) {
              error = ErrorCode.INVALID_FIELD;
              reason = "field 'type' must be a string";
            }
          }
          case "thread" -> {
            if (value == JsonToken.VALUE_STRING) {
              thread = p.getText();
            } else if (error == null) {
              error = ErrorCode.INVALID_FIELD;
              reason = "field 'thread' must be a string";
            }
          }
          case "since", "epoch" -> {
            long n = value == JsonToken.VALUE_NUMBER_INT ? longOrMinusOne(p) : -1;
            if (n < 0) {
              if (error == null) {
                error = ErrorCode.INVALID_FIELD;
                reason = "field '" + name + "' must be an integer >= 0";
              }
            } else if (name.equals("since")) {
              since = n;
            } else {
              epoch = n;
            }
          }
          case "ref" -> {
            if (value == JsonToken.VALUE_STRING && p.getTextLength() <= MAX_REF_LENGTH) {
              ref = p.getText();
            } else if (error == null) {
              error = ErrorCode.INVALID_FIELD;
              reason = "field 'ref' must be a string of at most " + MAX_REF_LENGTH + " characters";
            }
          }
          default -> {
            // unknown fields are ignored; a container was skipped above
          }
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return invalid(ErrorCode.MALFORMED_JSON, "a frame must be exactly one JSON object", ref);
      }
    } catch (IOException | RuntimeException e) {
      return invalid(ErrorCode.MALFORMED_JSON, "not valid JSON (or a repeated field)", ref);
    }
    if (error == null && type == null) {
      error = ErrorCode.MISSING_FIELD;
      reason = "field 'type' is required";
    }
    return new ClientFrame(type, thread, since, epoch, ref, error, reason);
  }

  private static long longOrMinusOne(JsonParser p) throws IOException {
    JsonParser.NumberType t = p.getNumberType();
    return t == JsonParser.NumberType.INT || t == JsonParser.NumberType.LONG
        ? p.getLongValue()
        : -1;
  }

  private static ClientFrame invalid(ErrorCode code, String reason, String ref) {
    return new ClientFrame(null, null, -1, -1, ref, code, reason);
  }
}
