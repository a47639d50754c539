package dev.gridflow.engine.collections;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.Expression;
import org.operaton.bpm.engine.delegate.VariableScope;
import org.operaton.bpm.engine.impl.bpmn.behavior.MultiInstanceActivityBehavior;
import org.operaton.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.util.xml.Element;

/**
 * Lets a multi-instance activity iterate over a JSON list. GridFlow stores lists as a String holding
 * JSON (neither engine ships Spin), so `camunda:collection="${departments}"` or
 * `camunda:collection="departments"` over `["D01","D02"]` would fail with "not a collection". This
 * parse listener wraps every multi-instance collection: a Collection passes through unchanged; a
 * String holding a JSON array becomes a list of its elements (strings, numbers and booleans as such,
 * objects and arrays as their JSON text); anything else fails with the variable named.
 */
public final class JsonListCollections extends AbstractBpmnParseListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void parseMultiInstanceLoopCharacteristics(Element activityElement, Element loopElement, ActivityImpl activity) {
    if (!(activity.getActivityBehavior() instanceof MultiInstanceActivityBehavior behavior)) {
      return;
    }
    if (behavior.getCollectionExpression() != null) {
      behavior.setCollectionExpression(new JsonListExpression(behavior.getCollectionExpression(), null));
    } else if (behavior.getCollectionVariable() != null) {
      String variable = behavior.getCollectionVariable();
      behavior.setCollectionExpression(new JsonListExpression(null, variable));
      behavior.setCollectionVariable(null);
    }
  }

  /** Converts a value to a collection: a JSON array text is parsed; a collection is kept. */
  static Object asCollection(Object value, String source) {
    if (value == null || value instanceof Collection<?>) {
      return value;
    }
    if (value instanceof String text) {
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new ProcessEngineException("Multi-instance collection " + source + " is a String that is not JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isArray()) {
        throw new ProcessEngineException("Multi-instance collection " + source + " is a String but not a JSON array");
      }
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode element : node) {
        if (element.isTextual()) list.add(element.textValue());
        else if (element.isIntegralNumber() && element.canConvertToInt()) list.add(element.intValue());
        else if (element.isIntegralNumber()) list.add(element.longValue());
        else if (element.isNumber()) list.add(element.doubleValue());
        else if (element.isBoolean()) list.add(element.booleanValue());
        else if (element.isNull()) list.add(null);
        else list.add(element.toString());
      }
      return list;
    }
    return value;
  }

  /** The collection expression (or variable) of a multi-instance activity, read as a JSON list when it is one. */
  static final class JsonListExpression implements Expression {
    private final Expression inner;
    private final String variable;

    JsonListExpression(Expression inner, String variable) {
      this.inner = inner;
      this.variable = variable;
    }

    @Override
    public Object getValue(VariableScope scope) {
      Object value = inner != null ? inner.getValue(scope) : scope.getVariable(variable);
      return asCollection(value, inner != null ? inner.getExpressionText() : variable);
    }

    @Override
    public void setValue(Object value, VariableScope scope) {
      if (inner != null) inner.setValue(value, scope);
      else scope.setVariable(variable, value);
    }

    @Override
    public String getExpressionText() {
      return inner != null ? inner.getExpressionText() : variable;
    }

    @Override
    public boolean isLiteralText() {
      return inner != null && inner.isLiteralText();
    }
  }
}
