package dev.kcpasskeys.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 4xx (or 503 when storage is unavailable) with a stable {@code error} code and a human {@code
 * error_description}, as JSON.
 */
public final class ApiError extends WebApplicationException {

  private static final long serialVersionUID = 1L;

  public ApiError(int status, String error, String description) {
    super(
        description,
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(body(error, description))
            .build());
  }

  static Map<String, String> body(String error, String description) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return body;
  }
}
