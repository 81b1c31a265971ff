package io.courier.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's {@code /metrics} (Prometheus text) read from its admin listener: how many series it
 * holds and the sum of one counter's series whose labels contain a given pair.
 */
final class MetricsText {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String text;

  MetricsText(String text) {
    this.text = text;
  }

  /**
   * GET {@code http://host:port/metrics} from the calling thread (not an event loop); null when the
   * admin listener does not answer 200.
   */
  static MetricsText fetch(HttpClient http, String host, int port) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? new MetricsText(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Sample lines (every line that is neither empty nor a {@code #} comment). */
  int series() {
    int series = 0;
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        series++;
      }
    }
    return series;
  }

  /** Sample lines of the metric {@code name} (its exact name, with or without labels). */
  int series(String name) {
    int series = 0;
    for (String line : text.split("\n")) {
      if (isSampleOf(line, name)) {
        series++;
      }
    }
    return series;
  }

  /**
   * The sum of the samples of {@code name} whose labels contain {@code label="value"} (all its
   * samples when {@code label} is null); 0 when there are none.
   */
  double sum(String name, String label, String value) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!isSampleOf(line, name)) {
        continue;
      }
      int valueStart = line.lastIndexOf(' ');
      if (label != null && !line.substring(0, valueStart).contains(label + "=\"" + value + "\"")) {
        continue;
      }
      try {
        sum += Double.parseDouble(line.substring(valueStart + 1));
      } catch (NumberFormatException e) {
        // a sample that is not a number (NaN is parsed) cannot be summed: skipped
      }
    }
    return sum;
  }

  /** Sample lines per metric name (the name before the labels). */
  Map<String, Integer> seriesByName() {
    Map<String, Integer> byName = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf('{');
      if (end < 0) {
        end = line.indexOf(' ');
      }
      byName.merge(end < 0 ? line : line.substring(0, end), 1, Integer::sum);
    }
    return byName;
  }

  /** Metric names with more series in {@code after} than here, and how many more. */
  Map<String, Integer> addedIn(MetricsText after) {
    Map<String, Integer> before = seriesByName();
    Map<String, Integer> added = new TreeMap<>();
    after
        .seriesByName()
        .forEach(
            (name, count) -> {
              int more = count - before.getOrDefault(name, 0);
              if (more > 0) {
                added.put(name, more);
              }
            });
    return added;
  }

  private static boolean isSampleOf(String line, String name) {
    if (!line.startsWith(name) || line.length() == name.length()) {
      return false;
    }
    char next = line.charAt(name.length());
    return next == '{' || next == ' ';
  }
}
