package io.courier.config;

/**
 * Invalid configuration; the message names the bad key (and its environment variable, if it has
 * one).
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
