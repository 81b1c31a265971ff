package io.courier.config;

/**
 * The key table of {@code docs/configuration.md} (section 4), rendered from {@link ConfigKeys}: one
 * Markdown table per {@link ConfigKeys.Group}, one row per key.
 */
final class KeyTable {
  static final String BEGIN =
      "<!-- Generated from io.courier.config.ConfigKeys; ConfigurationDocTest fails when it differs."
          + " Do not edit by hand. -->";
  static final String END = "<!-- End of the generated key table. -->";

  private KeyTable() {}

  static String render() {
    StringBuilder out = new StringBuilder();
    for (ConfigKeys.Group group : ConfigKeys.Group.values()) {
      out.append("\n### ").append(group.title()).append("\n\n");
      out.append("| key | environment | default | accepts | meaning |\n");
      out.append("|---|---|---|---|---|\n");
      for (ConfigKey<?> key : ConfigKeys.all()) {
        if (key.group() == group) {
          out.append("| `")
              .append(key.path())
              .append("` | `")
              .append(key.variable())
              .append("` | ")
              .append(cell(key.defaultText()))
              .append(" | ")
              .append(cell(key.accepts()))
              .append(" | ")
              .append(cell(key.doc()))
              .append(" |\n");
        }
      }
    }
    return out.append("\n").toString();
  }

  private static String cell(String markdown) {
    return markdown.replace("|", "\\|");
  }
}
