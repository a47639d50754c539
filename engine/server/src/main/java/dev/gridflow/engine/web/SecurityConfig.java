package dev.gridflow.engine.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.gridflow.engine.EngineSettings;

/** Puts {@link SecretAuthFilter} in front of every servlet (Jersey's /engine-rest and Spring MVC). */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityConfig.class);

  @Bean
  public FilterRegistrationBean<SecretAuthFilter> secretAuthFilter(EngineSettings settings) {
    FilterRegistrationBean<SecretAuthFilter> registration = new FilterRegistrationBean<>();
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    registration.setFilter(new SecretAuthFilter(EngineSettings.BASIC_USER, settings.secret()));
    if (settings.secret() == null) {
      // only reachable with ENGINE_INSECURE=true (checked in main)
      LOG.warn("ENGINE_SECRET not set and ENGINE_INSECURE=true: /engine-rest and /gridflow are NOT protected");
    }
    return registration;
  }
}
