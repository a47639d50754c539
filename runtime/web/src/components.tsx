/** Form components GridFlow schemas name beyond Formily's antd set: attachments, map point, grid, catalogue and department pickers. */
import { useEffect, useState } from 'react';
import type { ChangeEvent } from 'react';
import { Button, Input, InputNumber, List, Select, Space } from 'antd';
import { connect, mapProps, mapReadPretty } from '@formily/react';
import { PreviewText } from '@formily/antd-v5';
import { api } from './api.ts';
import type { DepartmentSummary, DepartmentsResponse } from '@gridflow/runtime/contracts';
import { t } from './i18n.ts';

interface AttachmentProps {
  value?: string[];
  onChange?: (ids: string[]) => void;
  kind?: 'photo' | 'video' | 'document';
  disabled?: boolean;
  readOnly?: boolean;
}

/** A list of attachment ids with an upload button (raw upload to /api/attachments). */
function AttachmentList({ value = [], onChange, kind = 'document', disabled, readOnly }: AttachmentProps) {
  const [busy, setBusy] = useState(false);
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      const uploaded = await api<{ id: string }>('POST', `/api/attachments?kind=${kind}&name=${encodeURIComponent(file.name)}`, undefined, file);
      onChange?.([...value, uploaded.id]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {value.length === 0 && readOnly ? <span>—</span> : null}
      <List size="small" dataSource={value} locale={{ emptyText: ' ' }} renderItem={(id) => <List.Item><a href={`/api/attachments/${id}`} target="_blank" rel="noreferrer">{id.slice(0, 8)}</a></List.Item>} />
      {!readOnly && !disabled && <label><Button loading={busy} onClick={(e) => (e.currentTarget.nextElementSibling as HTMLInputElement | null)?.click()}>{t('upload.add')}</Button>
        <input type="file" hidden data-attachment-input onChange={(e) => void pick(e)} /></label>}
    </Space>
  );
}

interface PointValue { type: 'Point'; coordinates: [number, number] }

/** A GeoJSON point as longitude and latitude. */
function PointInput({ value, onChange }: { value?: Partial<PointValue>; onChange?: (v: PointValue) => void }) {
  const [lon, lat] = value?.coordinates ?? [undefined, undefined];
  const set = (i: 0 | 1, n: number | null) => {
    const next: [number, number] = [lon ?? 0, lat ?? 0];
    next[i] = n ?? 0;
    onChange?.({ type: 'Point', coordinates: next });
  };
  return <Space><InputNumber placeholder={t('map.lon')} value={lon} onChange={(n) => set(0, n)} /><InputNumber placeholder={t('map.lat')} value={lat} onChange={(n) => set(1, n)} /></Space>;
}

/** The map point picker (coordinates until a map service is configured). */
export const MapPicker = connect(PointInput, mapReadPretty(({ value }: { value?: Partial<PointValue> }) => <span>{value?.coordinates ? value.coordinates.join(', ') : '—'}</span>));

/** Code pickers: plain inputs with a read-pretty view until their data sources are wired. */
export const GridSelect = connect(Input, mapReadPretty(PreviewText.Input));
export const CatalogueCascader = connect(Input, mapReadPretty(PreviewText.Input));

let departmentsOnce: Promise<DepartmentSummary[]> | undefined;
/** The departments of the definitions in use, loaded once per page. */
function useDepartments(): DepartmentSummary[] {
  const [departments, setDepartments] = useState<DepartmentSummary[]>([]);
  useEffect(() => {
    departmentsOnce ??= api<DepartmentsResponse>('GET', '/api/org/departments').then((r) => r.departments).catch(() => []);
    let live = true;
    void departmentsOnce.then((d) => { if (live) setDepartments(d); });
    return () => { live = false; };
  }, []);
  return departments;
}

interface DepartmentProps {
  value?: string | string[] | null;
  onChange?: (value: string | string[]) => void;
  mode?: 'multiple';
  disabled?: boolean;
}

/** One department (主办) or several (协办, mode multiple), by name; the value is the code(s). */
function DepartmentPicker({ value, onChange, mode, disabled }: DepartmentProps) {
  const options = useDepartments().map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
  return <Select data-department-select allowClear showSearch optionFilterProp="label" style={{ minWidth: 240 }} mode={mode} disabled={disabled}
    value={value ?? (mode ? [] : undefined)} options={options} onChange={(v: string | string[]) => onChange?.(v)} />;
}

/** The department(s) as names when read only. */
function DepartmentNames({ value }: { value?: string | string[] | null }) {
  const byCode = new Map(useDepartments().map((d) => [d.code, d.shortName ?? d.name]));
  const codes = Array.isArray(value) ? value : value ? [value] : [];
  return <span>{codes.length === 0 ? '—' : codes.map((c) => byCode.get(c) ?? c).join('、')}</span>;
}

export const DepartmentSelect = connect(DepartmentPicker, mapReadPretty(DepartmentNames));

/** The attachment field: read-only where the step makes it so. */
export const AttachmentUpload = connect(AttachmentList, mapProps((props, field) => ({ ...props, readOnly: 'pattern' in field && field.pattern !== 'editable' })));
