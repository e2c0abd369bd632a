package io.tickloom.persistence;

import java.util.regex.Pattern;

/** Quoting for the few statements that cannot take bind parameters (DDL, COPY targets). */
final class Sql {
  private Sql() {}

  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }

  /** A plain (optionally schema-qualified) table name, checked so it can be spliced into SQL as is. */
  static String tableName(String name) {
    if (name == null || !TABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain table name: '" + name + "'");
    }
    return name;
  }
}
