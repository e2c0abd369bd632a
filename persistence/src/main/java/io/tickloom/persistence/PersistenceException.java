package io.tickloom.persistence;

/** A store operation failed in the database (the cause is the {@link java.sql.SQLException}); nothing of it was written. */
public final class PersistenceException extends RuntimeException {
  public PersistenceException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
