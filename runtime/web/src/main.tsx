/** The workbench: sign-in, the task inbox and task forms (zh-CN by default, English available). */
import { useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Alert, App as AntApp, Button, Card, ConfigProvider, Form, Input, Layout, Space, Table, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { setValidateLanguage } from '@formily/core';
import { api, setCsrf } from './api.ts';
import { locale, setLocale, t } from './i18n.ts';
import { TaskForm } from './task-form.tsx';

interface Me { username: string; displayName: string; csrfToken?: string }
interface TaskRow { id: string; name: string | null; taskKey: string | null; createdAt: string; dueAt: string | null }

const useHash = () => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
};

function Login({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<string>();
  const submit = async (v: { username: string; password: string }) => {
    try {
      const { me } = await api<{ me: Me }>('POST', '/api/auth/login', v);
      onSignedIn(me);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card title={t('login.title')} style={{ maxWidth: 360, margin: '10vh auto' }}>
      <Form layout="vertical" onFinish={(v) => void submit(v as { username: string; password: string })}>
        <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}><Input autoComplete="username" /></Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}><Input.Password autoComplete="current-password" /></Form.Item>
        {error && <Alert type="error" message={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block>{t('login.submit')}</Button>
      </Form>
    </Card>
  );
}

function Inbox() {
  const [rows, setRows] = useState<TaskRow[]>();
  useEffect(() => {
    api<{ items: TaskRow[] }>('GET', '/api/tasks?limit=200').then((r) => setRows(r.items), () => setRows([]));
  }, []);
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale()) : '—');
  return (
    <Table<TaskRow> rowKey="id" loading={!rows} dataSource={rows ?? []} locale={{ emptyText: t('inbox.empty') }} pagination={false} columns={[
      { title: t('inbox.name'), dataIndex: 'name' },
      { title: t('inbox.step'), dataIndex: 'taskKey' },
      { title: t('inbox.created'), render: (_v, r) => time(r.createdAt) },
      { title: t('inbox.due'), render: (_v, r) => time(r.dueAt) },
      { title: '', render: (_v, r) => <a href={`#/tasks/${r.id}`}>{t('inbox.open')}</a> },
    ]} />
  );
}

function App() {
  const [me, setMe] = useState<Me | null>();
  const hash = useHash();
  const signedIn = useCallback((m: Me) => {
    setCsrf(m.csrfToken);
    setMe(m);
  }, []);
  useEffect(() => {
    api<Me>('GET', '/api/auth/me').then(signedIn, () => setMe(null));
  }, [signedIn]);
  if (me === undefined) return null;
  if (me === null) return <Login onSignedIn={signedIn} />;
  const task = /^#\/tasks\/(.+)$/.exec(hash)?.[1];
  const signOut = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    setMe(null);
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography.Text style={{ color: '#fff' }}>{t('app.title')}</Typography.Text>
        <Space>
          <a href="#/inbox" style={{ color: '#fff' }}>{t('nav.inbox')}</a>
          <Typography.Text style={{ color: '#fff' }} data-user={me.username}>{me.displayName}</Typography.Text>
          <Button size="small" onClick={() => { setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN'); location.reload(); }}>{t('nav.language')}</Button>
          <Button size="small" onClick={() => void signOut()}>{t('nav.logout')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        {task ? <TaskForm key={task} taskId={decodeURIComponent(task)} onDone={() => { location.hash = '#/inbox'; }} /> : <Inbox />}
      </Layout.Content>
    </Layout>
  );
}

const root = document.getElementById('root');
if (root) {
  document.title = t('app.title');
  setValidateLanguage(locale() === 'zh-CN' ? 'zh-CN' : 'en-US');
  createRoot(root).render(<ConfigProvider locale={locale() === 'zh-CN' ? zhCN : enUS}><AntApp><App /></AntApp></ConfigProvider>);
}
