package io.courier.client.cli;

import io.courier.client.ClientTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code --tls} and {@code --ca FILE}, which every command takes: TLS to the node, trusting the
 * JDK's authorities, or those of a PEM file ({@code --ca} alone implies {@code --tls}).
 */
final class TlsFlags {
  /** Options with a value. */
  static final Set<String> FLAGS = Set.of("ca");

  /** Options without a value. */
  static final Set<String> SWITCHES = Set.of("tls");

  static final String USAGE_LINES =
      """
        --tls                  connect with TLS, trusting the JDK's certificate authorities
        --ca FILE              connect with TLS, trusting the CA certificates of this PEM file
      """;

  private TlsFlags() {}

  static ClientTls from(Flags flags) throws UsageException {
    String ca = flags.get("ca");
    if (ca != null) {
      Path file = Path.of(ca);
      if (!Files.isReadable(file)) {
        throw new UsageException("--ca " + ca + ": no readable file");
      }
      return ClientTls.trusting(file);
    }
    return flags.has("tls") ? ClientTls.systemTrust() : ClientTls.plain();
  }
}
