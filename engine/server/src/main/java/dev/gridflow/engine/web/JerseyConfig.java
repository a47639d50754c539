package dev.gridflow.engine.web;

import org.glassfish.jersey.server.ServerProperties;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tunes the Jersey application that serves the engine REST API at /engine-rest. */
@Configuration(proxyBeanMethods = false)
public class JerseyConfig {

  /** No JAXB on the classpath: WADL could not work and would only log a warning. */
  @Bean
  public ResourceConfigCustomizer gridflowJerseyCustomizer() {
    return config -> config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
  }
}
