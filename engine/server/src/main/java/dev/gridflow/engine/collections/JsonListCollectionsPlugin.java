package dev.gridflow.engine.collections;

import java.util.ArrayList;

import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/** Engine plugin adding {@link JsonListCollections} to the BPMN parser (picked up by the Spring Boot starter). */
@Component
public class JsonListCollectionsPlugin extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl config) {
    if (config.getCustomPostBPMNParseListeners() == null) {
      config.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    config.getCustomPostBPMNParseListeners().add(new JsonListCollections());
  }
}
