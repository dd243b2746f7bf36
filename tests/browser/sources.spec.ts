import type { Source } from '../../src/shared/api';
import type { SourceStatus } from '../../src/shared/backfill';
import { testIds } from '../../src/components/testIds';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { APP_PLUGIN_ID } from './host/bootData';
import { newHostPage, openHostPage, screenshot, step, THEMES, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(90_000);

const SOURCES_PAGE = `/a/${APP_PLUGIN_ID}/sources`;

// Flow 2: adding a source, where the sidecar names what is wrong field by field.
describe('flow 2: add a source, with a validation error first', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;
  let dev: DevSource;

  beforeAll(async () => {
    env = await startEnvironment({ name: 'sources' });
    // What the user made in AWS beforehand: the bucket, its topic and the two queues.
    dev = await createDevSource({ endpoint: env.emulator.endpoint, id: 'vpc-flow', bucket: 'vpc-flow-logs', logType: 'vpcflow' });
    env.provisionApp();
    hp = await newHostPage(env.browser);
  });

  afterAll(async () => {
    await env?.stop();
  });

  const form = () => hp.page.getByTestId(testIds.sourceForm.form);
  const field = (name: string) => hp.page.getByTestId(testIds.sourceForm.field(name));
  const row = (id: string) => hp.page.getByRole('row').filter({ has: hp.page.getByTestId(testIds.sources.edit(id)) });

  async function fillSource(source: Partial<Record<keyof Source, string>>): Promise<void> {
    for (const [name, value] of Object.entries(source)) {
      if (name !== 'logType') {
        await field(name).fill(value);
      }
    }
  }

  it.each(THEMES)("shows the sidecar's field errors in the %s theme and adds nothing", async (theme) => {
    await step(hp, `sources-errors-${theme}`, async () => {
      await openHostPage(hp, env.host.url, SOURCES_PAGE, theme);
      await hp.page.getByTestId(testIds.sources.add).click();
      await form().waitFor();
      // A malformed ID: refused by its shape.
      await fillSource({ id: 'VPC Flow', bucket: dev.source.bucket });
      await hp.page.getByTestId(testIds.sourceForm.save).click();
      await form()
        .getByText(/must match pattern/)
        .waitFor();
      // A good ID, but a bucket and a queue that do not exist: refused after the sidecar looked.
      await fillSource({ id: 'vpc-flow', bucket: 'no-such-bucket', liveQueueUrl: `${env.emulator.endpoint}/000000000000/no-such-queue` });
      await hp.page.getByTestId(testIds.sourceForm.save).click();
      await form().getByText('bucket "no-such-bucket" does not exist').waitFor();
      await form()
        .getByText(/^queue (no such queue|does not exist)/)
        .waitFor();
      await screenshot(hp.page, `sources-add-errors-${theme}`);
    });
    const { body } = await env.sidecar.api<SourceStatus[]>('/api/sources');
    expect(body).toEqual([]);
    expect(hp.pageErrors).toEqual([]);
  });

  it('adds the source once the fields are right, and lists it', async () => {
    const { source } = dev;
    await step(hp, 'sources-add', async () => {
      await openHostPage(hp, env.host.url, SOURCES_PAGE, 'dark');
      await hp.page.getByTestId(testIds.sources.add).click();
      await fillSource({ id: 'VPC Flow', bucket: 'no-such-bucket' });
      await hp.page.getByTestId(testIds.sourceForm.save).click();
      await form()
        .getByText(/must match pattern/)
        .waitFor();
      await fillSource({
        id: source.id,
        bucket: source.bucket,
        region: source.region,
        liveQueueUrl: source.liveQueueUrl!,
        backfillQueueUrl: source.backfillQueueUrl!,
      });
      await field('logType').click();
      await hp.page.getByRole('option', { name: 'vpcflow', exact: true }).click();
      await hp.page.getByTestId(testIds.sourceForm.save).click();
      await form().waitFor({ state: 'detached' });
      await row(source.id).getByText(`s3://${source.bucket}/`).waitFor();
      await row(source.id).getByText('vpcflow').waitFor();
    });
    const { body } = await env.sidecar.api<SourceStatus[]>('/api/sources');
    expect(body.map((s) => s.source)).toEqual([{ ...source, logType: 'vpcflow', managedBy: 'api' }]);
    expect(hp.pageErrors).toEqual([]);
  });

  it("offers an Editor no change the proxy would refuse, and Grafana's proxy refuses it", async () => {
    env.host.state.user.orgRole = 'Editor';
    try {
      await step(hp, 'sources-editor', async () => {
        await openHostPage(hp, env.host.url, SOURCES_PAGE, 'dark');
        await hp.page.getByText(`s3://${dev.source.bucket}/`).waitFor();
        await hp.page.getByTestId(testIds.sources.readOnly).getByText('Only an organization Admin can add, edit or remove sources.').waitFor();
        expect(await hp.page.getByTestId(testIds.sources.add).count()).toBe(0);
        expect(await hp.page.getByTestId(testIds.sources.edit(dev.source.id)).count()).toBe(0);
        expect(await hp.page.getByTestId(testIds.sources.remove(dev.source.id)).count()).toBe(0);
        await screenshot(hp.page, 'sources-editor-dark');
      });
      // What the buttons would have sent, straight to Grafana's app proxy as the Editor.
      const tried = await hp.page.evaluate(async (url) => {
        const remove = await fetch(`${url}/vpc-flow`, { method: 'DELETE' });
        const create = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"x","bucket":"y"}' });
        const list = await fetch(url);
        return { remove: [remove.status, await remove.text()], create: [create.status, await create.text()], list: list.status };
      }, `/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources`);
      const denied = [403, JSON.stringify({ message: 'plugin proxy route access denied' })];
      expect(tried).toEqual({ remove: denied, create: denied, list: 200 });
      const { body } = await env.sidecar.api<SourceStatus[]>('/api/sources');
      expect(body.map((s) => s.source.id)).toEqual([dev.source.id]);
    } finally {
      env.host.state.user.orgRole = 'Admin';
    }
    expect(hp.pageErrors).toEqual([]);
  });

  it.each(THEMES)('lists the sources in the %s theme', async (theme) => {
    await step(hp, `sources-list-${theme}`, async () => {
      await openHostPage(hp, env.host.url, SOURCES_PAGE, theme);
      await row(dev.source.id).waitFor();
      await screenshot(hp.page, `sources-${theme}`);
    });
    expect(hp.pageErrors).toEqual([]);
  });
});
