package dev.kcpasskeys.it.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Every answer of the extension's APIs that a test receives is held against the OpenAPI document
 * (Atlassian's swagger-request-validator): a status, a field or a content type the document does
 * not describe fails the test that got it. Only answers are checked; the tests send bad requests on
 * purpose.
 */
public final class OpenApiContract {

  private static final OpenApiInteractionValidator VALIDATOR =
      OpenApiInteractionValidator.createForInlineApiSpecification(document()).build();

  private OpenApiContract() {}

  /** Checks one answer of a {@code /passkeys/v1/} path; any other answer is not the document's. */
  public static void check(
      String method, URI uri, int status, String body, Optional<String> contentType) {
    String path = uri.getPath();
    if (!path.contains("/passkeys/v1/") || method.equals("OPTIONS")) {
      return;
    }
    SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
    if (body != null && !body.isEmpty()) {
      response.withBody(body);
    }
    contentType.ifPresent(response::withContentType);
    ValidationReport report =
        VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
    if (report.hasErrors()) {
      throw new AssertionError(
          "The answer to "
              + method
              + " "
              + path
              + " ("
              + status
              + ") is not what the OpenAPI document says: "
              + report.getMessages()
              + "\nbody: "
              + body);
    }
  }

  private static String document() {
    try (InputStream in =
        OpenApiContract.class.getResourceAsStream("/openapi/passkeys-openapi.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
