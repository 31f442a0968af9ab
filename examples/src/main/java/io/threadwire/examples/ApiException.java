package io.threadwire.examples;

/**
 * A request the API refuses: an HTTP status, a stable error code and a message naming the problem.
 * Rendered as {@code {"error": code, "message": message}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String allow;

  ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  private ApiException(int status, String code, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.allow = allow;
  }

  static ApiException notFound(String path) {
    return new ApiException(404, "not_found", "no such resource: " + path);
  }

  static ApiException methodNotAllowed(String method, String path, String allowed) {
    return new ApiException(
        405,
        "method_not_allowed",
        method + " is not allowed on " + path + "; use " + allowed,
        allowed);
  }

  static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** Returns the methods allowed on the resource for a 405, else null. */
  String allow() {
    return allow;
  }
}
