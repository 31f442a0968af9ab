package io.threadwire.startup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

/** Parses JSON strictly (Typesafe Config's JSON syntax), so tests check real JSON, not text. */
final class JsonAssert {

  private JsonAssert() {}

  static Config parse(String json) {
    return ConfigFactory.parseString(
        json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
  }
}
