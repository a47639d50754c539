package dev.gridflow.engine.outbox;

import org.operaton.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.operaton.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.pvm.process.ScopeImpl;
import org.operaton.bpm.engine.impl.task.TaskDefinition;
import org.operaton.bpm.engine.impl.util.xml.Element;

/** Adds {@link TaskOutboxListener} as a built-in listener to every parsed BPMN user task. */
final class OutboxParseListener extends AbstractBpmnParseListener {

  @Override
  public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
    if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior behavior) {
      TaskDefinition definition = behavior.getTaskDefinition();
      for (String event : TaskOutboxListener.EVENTS) {
        definition.addBuiltInTaskListener(event, TaskOutboxListener.INSTANCE);
      }
    }
  }
}
