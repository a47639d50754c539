package dev.gridflow.engine.outbox;

import java.sql.SQLException;
import java.util.ArrayList;

import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.history.HistoryLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Engine plugin that records task, process instance and incident events in GRIDFLOW_OUTBOX,
 * inside the engine's own transaction:
 * <ul>
 *   <li>a BPMN parse listener adds {@link TaskOutboxListener} as a built-in listener of every user task;</li>
 *   <li>{@link OutboxHistoryEventHandler} runs beside the default DB history handler;</li>
 *   <li>{@link OutboxSession} (one per command) writes on the command's connection and signals
 *       {@link OutboxSignal} after commit.</li>
 * </ul>
 * Picked up by the Spring Boot starter, which applies every ProcessEnginePlugin bean.
 */
@Component
public class OutboxPlugin extends AbstractProcessEnginePlugin {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxPlugin.class);

  private final OutboxSignal signal;
  private ProcessEngineConfigurationImpl configuration;

  public OutboxPlugin(OutboxSignal signal) {
    this.signal = signal;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl config) {
    this.configuration = config;
    if (config.getCustomSessionFactories() == null) {
      config.setCustomSessionFactories(new ArrayList<>());
    }
    config.getCustomSessionFactories().add(new OutboxSession.Factory(signal));

    if (config.getCustomPostBPMNParseListeners() == null) {
      config.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    config.getCustomPostBPMNParseListeners().add(new OutboxParseListener());

    if (config.getCustomHistoryEventHandlers() == null) {
      config.setCustomHistoryEventHandlers(new ArrayList<>());
    }
    config.getCustomHistoryEventHandlers().add(new OutboxHistoryEventHandler());
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl config) {
    if (config.getHistoryLevel().getId() != HistoryLevel.HISTORY_LEVEL_FULL.getId()) {
      LOG.warn("GridFlow outbox: history level is '{}', not 'full': instance, incident and candidate "
          + "events may be missing from the outbox", config.getHistoryLevel().getName());
    }
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    try {
      OutboxSchema.ensureTable(configuration.getDataSource(), configuration.getDatabaseType());
    } catch (SQLException e) {
      throw new ProcessEngineException("GridFlow outbox: cannot create table " + OutboxSchema.TABLE
          + " on " + configuration.getDatabaseType() + ": " + e.getMessage(), e);
    }
    LOG.info("GridFlow outbox: recording into {} ({})", OutboxSchema.TABLE, configuration.getDatabaseType());
  }
}
