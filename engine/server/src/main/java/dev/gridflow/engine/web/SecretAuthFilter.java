package dev.gridflow.engine.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires HTTP Basic auth with user "gridflow" and password = ENGINE_SECRET on every request
 * except the open health probe. Credentials are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the comparison time depends neither on where the first
 * differing byte is nor on the length of the presented credentials.
 * With a null secret (ENGINE_INSECURE=true) the filter lets everything through.
 */
public class SecretAuthFilter extends OncePerRequestFilter {

  /** The one path that stays open (it reveals no secrets). */
  public static final String OPEN_PATH = "/gridflow/health";

  private static final byte[] UNAUTHORIZED_BODY =
      "{\"type\":\"Unauthorized\",\"message\":\"HTTP Basic authentication required\"}"
          .getBytes(StandardCharsets.UTF_8);

  private final byte[] expectedUserDigest;
  private final byte[] expectedPasswordDigest;

  private final boolean enabled;

  public SecretAuthFilter(String user, String secret) {
    this.enabled = secret != null;
    this.expectedUserDigest = sha256(user);
    this.expectedPasswordDigest = sha256(secret != null ? secret : "");
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !enabled || OPEN_PATH.equals(pathWithinApplication(request));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (authorized(request.getHeader("Authorization"))) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Basic realm=\"gridflow-engine\", charset=\"UTF-8\"");
    response.setContentType("application/json");
    response.setContentLength(UNAUTHORIZED_BODY.length);
    response.getOutputStream().write(UNAUTHORIZED_BODY);
  }

  boolean authorized(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    boolean userOk = MessageDigest.isEqual(expectedUserDigest, sha256(decoded.substring(0, colon)));
    boolean passwordOk = MessageDigest.isEqual(expectedPasswordDigest, sha256(decoded.substring(colon + 1)));
    return userOk & passwordOk;
  }

  private static String pathWithinApplication(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String ctx = request.getContextPath();
    return ctx != null && !ctx.isEmpty() && uri.startsWith(ctx) ? uri.substring(ctx.length()) : uri;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 not available", e);
    }
  }
}
