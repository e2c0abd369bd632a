package io.tickloom.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * An RFC 9457 problem document, the body of every error answer ({@code application/problem+json}).
 * {@code type} is one of the {@code urn:tickloom:problem:*} URNs below; {@code errors} (invalid parameters
 * only) names each bad query parameter with the reason.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

  public static final String INVALID_PARAMETERS = "urn:tickloom:problem:invalid-parameters";
  public static final String UNKNOWN_INSTRUMENT = "urn:tickloom:problem:unknown-instrument";
  public static final String NOT_FOUND = "urn:tickloom:problem:not-found";
  public static final String INTERNAL_ERROR = "urn:tickloom:problem:internal-error";
  public static final String UNAVAILABLE = "urn:tickloom:problem:unavailable";
  public static final String INVALID_BODY = "urn:tickloom:problem:invalid-body";
  public static final String UNAUTHORIZED = "urn:tickloom:problem:unauthorized";
  public static final String FORBIDDEN = "urn:tickloom:problem:forbidden";
  public static final String CONFLICT = "urn:tickloom:problem:conflict";
  public static final String SATURATED = "urn:tickloom:problem:saturated";
  /** An order command the OMS refused on its merits: pre-trade risk, or a modify the order cannot take (422). */
  public static final String ORDER_REFUSED = "urn:tickloom:problem:order-refused";
  /** Any other client error the HTTP layer itself refused (method not allowed, unsupported media, ...). */
  public static final String HTTP_ERROR = "urn:tickloom:problem:http";
  public static final String PAYLOAD_TOO_LARGE = "urn:tickloom:problem:payload-too-large";
  public static final String RATE_LIMITED = "urn:tickloom:problem:rate-limited";

  /** One bad parameter: {@code {"field":"tf","reason":"unknown timeframe 'x' ..."}}. */
  public record FieldError(String field, String reason) {}

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static Problem invalidParameters(String instance, List<FieldError> errors) {
    String detail = errors.size() == 1
        ? "invalid query parameter '" + errors.get(0).field() + "': " + errors.get(0).reason()
        : errors.size() + " invalid query parameters";
    return new Problem(INVALID_PARAMETERS, "Invalid request parameters", 400, detail, instance, errors);
  }

  public static Problem invalidParameter(String instance, String field, String reason) {
    return invalidParameters(instance, List.of(new FieldError(field, reason)));
  }

  /** A request body refused whole; {@code field} names the part at fault ({@code body} for the whole). */
  public static Problem invalidBody(String instance, String field, String reason) {
    return new Problem(INVALID_BODY, "Invalid request body", 400, field.equals("body") ? reason : "'" + field + "': " + reason, instance,
        List.of(new FieldError(field, reason)));
  }

  public static Problem unauthorized(String instance, String detail) {
    return new Problem(UNAUTHORIZED, "Unauthorized", 401, detail, instance, null);
  }

  public static Problem forbidden(String instance, String detail) {
    return new Problem(FORBIDDEN, "Forbidden", 403, detail, instance, null);
  }

  public static Problem conflict(String instance, String detail) {
    return new Problem(CONFLICT, "Conflict", 409, detail, instance, null);
  }

  /** 422: the OMS refused an order command; {@code detail} is its reason ({@code risk: max-qty: qty 1500 > limit 1000}). */
  public static Problem orderRefused(String instance, String reason) {
    return new Problem(ORDER_REFUSED, "Order refused", 422, reason, instance, null);
  }

  public static Problem tooManyRequests(String instance) {
    return new Problem(SATURATED, "Too many requests", 429, "the ingest pipeline is saturated; nothing of this request was taken, retry after a moment",
        instance, null);
  }

  public static Problem unknownInstrument(String instance, long token) {
    return new Problem(UNKNOWN_INSTRUMENT, "Unknown instrument", 404, "no instrument with token " + token, instance, null);
  }

  public static Problem notFound(String instance, String detail) {
    return new Problem(NOT_FOUND, "Not found", 404, detail, instance, null);
  }

  /** 413: the body is larger than the endpoint takes; nothing of it was read further or acted on. */
  public static Problem payloadTooLarge(String instance, long maxBytes) {
    return new Problem(PAYLOAD_TOO_LARGE, "Payload too large", 413, "the body is larger than " + maxBytes
        + " bytes, the most this endpoint takes; nothing was done. Send smaller batches", instance, null);
  }

  /** 429: a rate limit or quota of this key or address was reached ({@code detail} names it); nothing was done. */
  public static Problem rateLimited(String instance, String detail) {
    return new Problem(RATE_LIMITED, "Too many requests", 429, detail, instance, null);
  }

  public static Problem internalError(String instance) {
    return new Problem(INTERNAL_ERROR, "Internal server error", 500, "the request failed on the server; details are in the server log", instance, null);
  }

  public static Problem unavailable(String instance) {
    return new Problem(UNAVAILABLE, "Service unavailable", 503, "the server could not answer in time; retry later", instance, null);
  }

  /** 503: the node's database is not answering; the request was refused at once and nothing was done. */
  public static Problem databaseUnavailable(String instance) {
    return new Problem(UNAVAILABLE, "Service unavailable", 503,
        "the database is not answering; nothing was done. Retry after the Retry-After delay", instance, null);
  }

  /** 503: the server refused the request at once because it is behind (nothing was done); {@code detail} says why. */
  public static Problem overloaded(String instance, String detail) {
    return new Problem(UNAVAILABLE, "Service unavailable", 503, detail, instance, null);
  }

  public HttpResponse toResponse() {
    try {
      return HttpResponse.create().withStatus(StatusCodes.get(status)).withEntity(Json.PROBLEM_JSON, Json.MAPPER.writeValueAsBytes(this));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
