/**
 * A task's form, rendered with Formily and antd. Field states come from the server's field rules
 * for the step and role, narrowed by the form's reactions with GridFlow's own evaluator (the one the
 * server validates with), recomputed on every change. Only fields editable at the step are sent;
 * the server's refusals land on their fields.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { createForm, onFormValuesChange } from '@formily/core';
import type { Form } from '@formily/core';
import { FormProvider, createSchemaField } from '@formily/react';
import { ArrayItems, Checkbox, DatePicker, FormItem, FormLayout, Input, NumberPicker, Radio, Select, Space as FormSpace, Switch } from '@formily/antd-v5';
import { applyReactions, parseReactions } from '@gridflow/engine/forms';
import type { FieldAccess } from '@gridflow/engine/forms';
import type { TaskFormView } from '@gridflow/runtime/contracts';
import { ApiError, api } from './api.ts';
import { AttachmentUpload, CatalogueCascader, DepartmentSelect, GridSelect, MapPicker } from './components.tsx';
import { rendererSchema } from './form-schema.ts';
import { t } from './i18n.ts';

const SchemaField = createSchemaField({
  components: { FormItem, Input, Select, Radio, Checkbox, Switch, NumberPicker, DatePicker, ArrayItems, Space: FormSpace, AttachmentUpload, MapPicker, GridSelect, CatalogueCascader, DepartmentSelect },
});

/** Applies the access of every field to the form's field states. */
function applyAccess(form: Form, access: Record<string, FieldAccess>): void {
  for (const [field, a] of Object.entries(access)) {
    form.setFieldState(field, (state) => {
      state.display = a === 'hidden' ? 'none' : 'visible';
      state.pattern = a === 'readOnly' ? 'readPretty' : 'editable';
      state.required = a === 'required';
    });
  }
}

/** Puts the server's refusals on their fields; returns the messages no field took. */
function showRefusals(form: Form, details: { target?: string; message: string }[]): string[] {
  const rest: string[] = [];
  for (const d of details) {
    const field = /^\/body\/values\/([^/]+)/.exec(d.target ?? '')?.[1];
    const target = field ? form.query(field).take() : undefined;
    if (target && 'setFeedback' in target) target.setFeedback({ type: 'error', code: 'ServerValidateError', messages: [d.message] });
    else rest.push(d.message);
  }
  return rest;
}

/** The form of one task. */
export function TaskForm({ taskId, onDone }: { taskId: string; onDone: () => void }) {
  const [view, setView] = useState<TaskFormView>();
  const [loadError, setLoadError] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<TaskFormView>('GET', `/api/tasks/${taskId}/form`).then(setView, (e: Error) => setLoadError(e.message));
  }, [taskId]);
  const state = useMemo(() => {
    if (!view) return undefined;
    const { reactions } = parseReactions((view.form.schema.properties ?? {}) as Record<string, unknown>);
    const accessOf = (values: Record<string, unknown>) => applyReactions(view.rules, reactions, values, view.required);
    const form = createForm({
      initialValues: view.values,
      effects: () => onFormValuesChange((f) => applyAccess(f, accessOf(f.values as Record<string, unknown>))),
    });
    return { form, accessOf, schema: rendererSchema(view.form.schema, { addRow: t('array.add') }) };
  }, [view]);
  useEffect(() => {
    if (state && view) applyAccess(state.form, view.access);
  }, [state, view]);
  if (loadError) return <Alert type="error" message={loadError} />;
  if (!view || !state) return null;
  const submit = async () => {
    setError(undefined);
    const values = await state.form.submit<Record<string, unknown>>();
    const access = state.accessOf(values);
    const editable = Object.fromEntries(Object.entries(values).filter(([k, v]) => (access[k] === 'editable' || access[k] === 'required') && v !== undefined));
    try {
      await api('POST', `/api/tasks/${taskId}/complete`, { values: editable });
      onDone();
    } catch (e) {
      const rest = e instanceof ApiError ? showRefusals(state.form, e.details) : [];
      setError([(e as Error).message, ...rest].join('；'));
    }
  };
  return (
    <Card title={<Typography.Text data-form-key={view.form.key}>{view.form.name}</Typography.Text>}>
      <FormProvider form={state.form}>
        <FormLayout layout="vertical">
          <SchemaField schema={state.schema} />
        </FormLayout>
      </FormProvider>
      {error && <Alert type="error" message={error} data-form-error style={{ marginBottom: 16 }} />}
      <Space>
        <Button type="primary" onClick={() => void submit().catch(() => setError(t('form.invalid')))}>{t('form.submit')}</Button>
        <Button onClick={onDone}>{t('form.back')}</Button>
      </Space>
    </Card>
  );
}
