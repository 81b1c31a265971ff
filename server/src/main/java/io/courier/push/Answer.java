package io.courier.push;

/**
 * A provider's answer to one notification, as the push role acts on it.
 *
 * @param status the HTTP status, 0 when there was no answer
 * @param reason the provider's reason (APNs {@code reason}, FCM {@code errorCode}), or what went
 *     wrong; null when sent
 * @param retryAfterMs how long the provider asked to wait ({@code Retry-After}), 0 when it did not
 */
record Answer(Verdict verdict, int status, String reason, long retryAfterMs) {

  enum Verdict {
    /** The provider accepted the notification. */
    SENT,
    /** The provider says the token is dead: the registration is removed. */
    DEAD,
    /** Busy or failing (429, 5xx, no answer): worth sending again later. */
    RETRY,
    /** Refused for good (a bad request, a bad topic …): not sent again. */
    FAILED
  }

  static Answer sent(int status) {
    return new Answer(Verdict.SENT, status, null, 0);
  }

  static Answer dead(int status, String reason) {
    return new Answer(Verdict.DEAD, status, reason, 0);
  }

  static Answer retry(int status, String reason, long retryAfterMs) {
    return new Answer(Verdict.RETRY, status, reason, retryAfterMs);
  }

  static Answer failed(int status, String reason) {
    return new Answer(Verdict.FAILED, status, reason, 0);
  }

  /** The status and reason, for a trace. */
  String describe() {
    return (status == 0 ? "no answer" : "HTTP " + status) + (reason == null ? "" : ": " + reason);
  }

  /**
   * The seconds of a {@code Retry-After} header as ms; 0 when absent or not a number of seconds (an
   * HTTP date is not worth parsing here: the backoff applies then).
   */
  static long retryAfterMs(String header) {
    if (header == null || !header.trim().matches("\\d{1,6}")) {
      return 0;
    }
    return Long.parseLong(header.trim()) * 1000;
  }
}
