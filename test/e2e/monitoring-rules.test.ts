import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { adminGet, eventually, exec, repoRoot, servicePorts } from '../support/platform.js';

// The monitoring configuration of infra/monitoring/: alert rules (checked and unit-tested by
// promtool), the Prometheus and Alertmanager configurations as infra/start.sh renders them (checked
// by promtool / amtool), then the running servers that infra/start.sh started with them.

const monitoring = join(repoRoot, 'infra', 'monitoring');
const rulesDir = join(monitoring, 'rules');
const rulesTestsDir = join(rulesDir, 'tests');
const promtool = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const amtool = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';
const prometheusUrl = `http://127.0.0.1:${process.env.PROMETHEUS_PORT ?? '19090'}`;
const alertmanagerUrl = `http://127.0.0.1:${process.env.ALERTMANAGER_PORT ?? '19094'}`;

/** The alerts of the brief (docs/monitoring.md), each with the group it belongs to. */
const expectedAlerts: Record<string, string> = {
  ModelTimeToFirstTokenHigh: 'latency',
  ModelLatencyHigh: 'latency',
  ModelErrorRateHigh: 'errors',
  WorkerDown: 'fleet',
  VramPressure: 'fleet',
  ServiceDown: 'fleet',
  KafkaConsumerLag: 'kafka',
  TenantBudget80: 'billing',
  TenantBudgetExhausted: 'billing',
  BillingIngestLag: 'billing',
};

const ymlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => join(dir, name));

/** Runs a tool; never throws, so that a failure shows the tool's own output. */
async function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: repoRoot, timeout: 60_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    return { code: typeof failure.code === 'number' ? failure.code : 1, output: output || failure.message };
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'llmaas-monitoring-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function render(what: 'prometheus' | 'alertmanager'): Promise<string> {
  const dir = join(scratch, what);
  const result = await run('bash', [join(monitoring, 'render.sh'), what, dir]);
  expect(result.code, result.output).toBe(0);
  return join(dir, `${what}.yml`);
}

describe('alert rules', () => {
  it('pass promtool check rules', async () => {
    const files = ymlFiles(rulesDir);
    expect(files.length).toBeGreaterThan(0);
    const result = await run(promtool, ['check', 'rules', ...files]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${Object.keys(expectedAlerts).length} rules found`);
  });

  it('pass their promtool unit tests', async () => {
    const files = ymlFiles(rulesTestsDir);
    expect(files.length).toBeGreaterThan(0);
    const result = await run(promtool, ['test', 'rules', ...files]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('have a unit test for every alert', () => {
    const rules = ymlFiles(rulesDir)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const tests = ymlFiles(rulesTestsDir)
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const alerts = [...rules.matchAll(/^\s*- alert: (\S+)\s*$/gm)].map((m) => m[1]);
    expect(alerts.sort()).toEqual(Object.keys(expectedAlerts).sort());
    for (const alert of alerts) {
      // One test where it fires (exp_alerts with labels) and one where it must not.
      const firing = new RegExp(`alertname: ${alert}\\s*\\n\\s*exp_alerts:\\s*\\n\\s*- exp_labels:`);
      const silent = new RegExp(`alertname: ${alert}\\s*\\n\\s*exp_alerts: \\[\\]`);
      expect(tests, `${alert} fires in a test`).toMatch(firing);
      expect(tests, `${alert} stays silent in a test`).toMatch(silent);
    }
  });
});

describe('rendered configurations', () => {
  it('prometheus.yml passes promtool check config (rule files included)', async () => {
    const file = await render('prometheus');
    const result = await run(promtool, ['check', 'config', file]);
    expect(result.code, result.output).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/scrape_interval: 5s/);
    expect(text).toMatch(/evaluation_interval: 5s/);
    for (const [service, port] of Object.entries(servicePorts)) {
      expect(text).toContain(`- targets: ['127.0.0.1:${port}']\n        labels: {service: ${service}}`);
    }
    expect(text).toContain(`- targets: ['127.0.0.1:9301']\n        labels: {worker: worker-1}`);
  });

  it('alertmanager.yml passes amtool check-config', async () => {
    const file = await render('alertmanager');
    const result = await run(amtool, ['check-config', file]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('1 receivers');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('url: http://127.0.0.1:8080/admin/v1/alerts');
    expect(text).toContain(`credentials_file: ${join(scratch, 'alertmanager', 'operator.key')}`);
  });
});

interface RulesResponse {
  status: string;
  data: {
    groups: {
      name: string;
      rules: { type: string; name: string; health: string; lastError?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
    }[];
  };
}
interface TargetsResponse {
  data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[] };
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

describe('the running Prometheus and Alertmanager (infra/start.sh)', () => {
  it('Prometheus has loaded every alert, with severity and annotations, and evaluates them without error', async () => {
    // Health is "unknown" until the first evaluation after a (re)load: 5 s.
    const rules = await eventually(
      () => getJson<RulesResponse>(`${prometheusUrl}/api/v1/rules`),
      (r) => r.data.groups.every((g) => g.rules.every((rule) => rule.health === 'ok')),
      20_000,
    );
    const loaded = rules.data.groups.flatMap((group) => group.rules.map((rule) => ({ group: group.name, ...rule })));
    const alerts = loaded.filter((rule) => rule.type === 'alerting');
    expect(Object.fromEntries(alerts.map((a) => [a.name, a.group]))).toEqual(expectedAlerts);
    for (const rule of loaded) expect({ name: rule.name, health: rule.health, lastError: rule.lastError ?? '' }).toEqual({ name: rule.name, health: 'ok', lastError: '' });
    for (const alert of alerts) {
      expect(['critical', 'warning', 'info'], alert.name).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary, alert.name).toBeTruthy();
      expect(alert.annotations?.description, alert.name).toBeTruthy();
    }
  });

  it('Prometheus scrapes every service and every GPU machine, and they are up', async () => {
    const targets = await eventually(
      () => getJson<TargetsResponse>(`${prometheusUrl}/api/v1/targets?state=active`),
      (t) => t.data.activeTargets.length > 0 && t.data.activeTargets.every((target) => target.health === 'up'),
      30_000,
    );
    const active = targets.data.activeTargets;
    const services = active.filter((t) => t.labels.job === 'services');
    expect(Object.fromEntries(services.map((t) => [t.labels.service, t.scrapeUrl]))).toEqual(
      Object.fromEntries(Object.entries(servicePorts).map(([service, port]) => [service, `http://127.0.0.1:${port}/metrics`])),
    );
    const workers = active.filter((t) => t.labels.job === 'workers');
    expect(workers.map((t) => t.labels.worker).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `worker-${i + 1}`).sort());
    for (const target of active) expect({ url: target.scrapeUrl, health: target.health, error: target.lastError }).toEqual({ url: target.scrapeUrl, health: 'up', error: '' });
  });

  it('Prometheus sends its alerts to the Alertmanager, which is ready', async () => {
    const ams = await getJson<{ data: { activeAlertmanagers: { url: string }[] } }>(`${prometheusUrl}/api/v1/alertmanagers`);
    expect(ams.data.activeAlertmanagers.map((a) => a.url)).toEqual([`${alertmanagerUrl}/api/v2/alerts`]);
    const ready = await fetch(`${alertmanagerUrl}/-/ready`);
    expect(ready.status).toBe(200);
    const status = await getJson<{ config: { original: string }; cluster: { status: string } }>(`${alertmanagerUrl}/api/v2/status`);
    expect(status.config.original).toContain('url: http://127.0.0.1:8080/admin/v1/alerts');
    expect(status.cluster.status).toBe('disabled');
  });

  it('Alertmanager delivers to the gateway with the operator key (the credentials file)', async () => {
    const alertname = `MonitoringDeliveryCheck${Date.now()}`;
    // Ends in 10 s, so that it is also delivered as resolved and leaves nothing firing.
    const endsAt = new Date(Date.now() + 10_000).toISOString();
    const posted = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname, severity: 'info', instance: 'monitoring-rules.test' }, annotations: { summary: 'delivery check of test/e2e/monitoring-rules.test.ts' }, endsAt }]),
    });
    expect(posted.status).toBe(200);
    const recorded = await eventually(
      async () => ((await (await adminGet('/admin/v1/alerts?state=all')).json()) as { data?: { alertname: string; labels: Record<string, string> }[] }).data ?? [],
      (alerts) => alerts.some((a) => a.alertname === alertname),
      20_000,
      500,
    );
    expect(recorded.find((a) => a.alertname === alertname)?.labels).toMatchObject({ alertname, severity: 'info', instance: 'monitoring-rules.test' });
  });
});
