package io.threadwire.tyrus;

/**
 * The stable codes of the {@code error} frames the server sends; see {@code PROTOCOL.md}. Clients
 * branch on {@link #code()}, never on the human-readable reason.
 */
public enum ErrorCode {
  /** The frame is not a JSON object. The connection goes on. */
  MALFORMED_JSON("malformed_json"),
  /** The frame's {@code type} is not one the server knows. The connection goes on. */
  UNKNOWN_TYPE("unknown_type"),
  /** A required field ({@code type} or {@code thread}) is absent. The connection goes on. */
  MISSING_FIELD("missing_field"),
  /** A field has the wrong JSON type or an out-of-range value. The connection goes on. */
  INVALID_FIELD("invalid_field"),
  /** The {@code thread} breaks the thread id rule. The connection goes on. */
  INVALID_THREAD("invalid_thread"),
  /** The access policy does not let this user join the thread. The connection goes on. */
  FORBIDDEN_THREAD("forbidden_thread"),
  /** The connection has joined as many threads as allowed. The connection goes on. */
  TOO_MANY_THREADS("too_many_threads"),
  /** The client sends frames faster than its rate limit; the frame was dropped. */
  RATE_LIMITED("rate_limited"),
  /** A join arrived while the server is stopping or not yet started; it was not processed. */
  UNAVAILABLE("unavailable"),
  /** An unexpected failure on the server while processing the frame; details are only logged. */
  INTERNAL_ERROR("internal_error");

  private final String code;

  ErrorCode(String code) {
    this.code = code;
  }

  /** {@return the code as it appears on the wire, for example {@code too_many_threads}} */
  public String code() {
    return code;
  }
}
