import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { APP_PROXY, FakeBackend } from '../__fixtures__/fakeBackend';
import { createdSource, health, invalidSource, missingBucket, problemObjects, sources } from '../__fixtures__/sidecar';
import { testIds } from '../components/testIds';
import { SourcesPage } from './SourcesPage';

const mockBackend = new FakeBackend();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend,
}));

function serve() {
  mockBackend.on('GET', `${APP_PROXY}/api/health`, { status: 200, body: health }).on('GET', `${APP_PROXY}/api/sources`, { status: 200, body: sources });
}

async function renderPage() {
  render(<SourcesPage />);
  await screen.findByTestId(testIds.sources.table);
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

// Text and test-id queries, not *ByRole with a name: jsdom computes styles for every node an
// accessible name or visibility check touches, about 15 ms a call on a loaded machine against
// Grafana's emotion styles, so one such query cost seconds and the tests ran out of time.
/** The table row of the source reading `bucket`. */
const rowOf = (bucket: string) => screen.getByText(`s3://${bucket}/`, { exact: false }).closest('tr')!;
/** ConfirmModal's confirm button (@grafana/e2e-selectors' pages.ConfirmModal.delete). */
const confirmButton = () => screen.findByTestId('data-testid Confirm Modal Danger Button');

describe('SourcesPage', () => {
  beforeEach(() => {
    mockBackend.reset();
    serve();
    config.bootData.user.orgRole = OrgRole.Admin;
  });

  it('lists the sources with last event, volume, queue depths and failures, under the sidecar health', async () => {
    await renderPage();
    expect(screen.getByTestId(testIds.health.container)).toHaveTextContent('Sidecar 0.1.0');
    expect(screen.getByTestId(testIds.health.container)).toHaveTextContent('1,226 events from 49 objects; 1 failed objects, 2 malformed records');
    const alb = rowOf('acme-alb');
    expect(alb).toHaveTextContent('s3://acme-alb/ (us-east-1)');
    expect(alb).toHaveTextContent('457');
    expect(alb).toHaveTextContent('1,126 / 1');
    expect(alb).toHaveTextContent(/^(?!.*failed objects)/);
    const trail = rowOf('acme-cloudtrail');
    expect(trail).toHaveTextContent('769');
    expect(trail).toHaveTextContent('1 failed objects, 2 malformed records');
    expect(within(trail).getByText('Backfill').closest('a')).toHaveAttribute('href', '/a/lookback-siem-app/backfills?source=cloudtrail');
  });

  it('checks required fields before asking the sidecar', async () => {
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.add));
    fireEvent.click(await screen.findByTestId(testIds.sourceForm.save));
    expect(await screen.findAllByText('is required')).toHaveLength(2);
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/sources`)).toHaveLength(0);
  });

  it("shows the sidecar's validation errors field by field", async () => {
    mockBackend.on('POST', `${APP_PROXY}/api/sources`, { status: 400, body: invalidSource });
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.add));
    type(testIds.sourceForm.field('id'), 'Bad Id');
    type(testIds.sourceForm.field('bucket'), 'no-such-bucket');
    fireEvent.click(screen.getByTestId(testIds.sourceForm.save));
    expect(await screen.findByText('must match pattern "^[a-z0-9][a-z0-9_-]{0,62}$"')).toBeInTheDocument();
    expect(screen.getByText(/^must be one of: auto, cloudtrail/)).toBeInTheDocument();
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/sources`)[0].data).toEqual({ id: 'Bad Id', logType: 'auto', bucket: 'no-such-bucket' });

    mockBackend.on('POST', `${APP_PROXY}/api/sources`, { status: 400, body: missingBucket });
    fireEvent.click(screen.getByTestId(testIds.sourceForm.save));
    expect(await screen.findByText('bucket "does-not-exist-here" does not exist')).toBeInTheDocument();
  });

  it('adds a source and lists it', async () => {
    mockBackend.on('POST', `${APP_PROXY}/api/sources`, { status: 201, body: createdSource });
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.add));
    type(testIds.sourceForm.field('id'), 'alb');
    type(testIds.sourceForm.field('bucket'), 'acme-alb');
    type(testIds.sourceForm.field('region'), 'us-east-1');
    type(testIds.sourceForm.field('liveQueueUrl'), createdSource.liveQueueUrl!);
    type(testIds.sourceForm.field('roleArn'), '');
    fireEvent.click(screen.getByTestId(testIds.sourceForm.save));
    await waitFor(() => expect(screen.queryByTestId(testIds.sourceForm.form)).not.toBeInTheDocument());
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/sources`)[0].data).toEqual({
      id: 'alb',
      logType: 'auto',
      bucket: 'acme-alb',
      region: 'us-east-1',
      liveQueueUrl: createdSource.liveQueueUrl,
    });
    expect(mockBackend.sent('GET', `${APP_PROXY}/api/sources`).length).toBeGreaterThanOrEqual(2);
  });

  it('edits a source with its id fixed', async () => {
    mockBackend.on('PUT', `${APP_PROXY}/api/sources/alb`, (req) => ({ status: 200, body: req.data }));
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.edit('alb')));
    expect(screen.getByTestId(testIds.sourceForm.field('id'))).toBeDisabled();
    expect(screen.getByTestId(testIds.sourceForm.field('bucket'))).toHaveValue('acme-alb');
    type(testIds.sourceForm.field('prefix'), 'AWSLogs/573797898131/elasticloadbalancing/');
    fireEvent.click(screen.getByTestId(testIds.sourceForm.save));
    await waitFor(() => expect(mockBackend.sent('PUT', `${APP_PROXY}/api/sources/alb`)).toHaveLength(1));
    expect(mockBackend.sent('PUT', `${APP_PROXY}/api/sources/alb`)[0].data).toMatchObject({
      id: 'alb',
      logType: 'alb',
      prefix: 'AWSLogs/573797898131/elasticloadbalancing/',
    });
  });

  it('keeps the custom VPC flow format a source declares when it is edited', async () => {
    const format = '${version} ${interface-id} ${srcaddr} ${dstaddr} ${action} ${log-status}';
    const flows = sources.map((s) => (s.source.id === 'alb' ? { ...s, source: { ...s.source, logType: 'vpcflow' as const, vpcFlowFormat: format } } : s));
    mockBackend
      .on('GET', `${APP_PROXY}/api/sources`, { status: 200, body: flows })
      .on('PUT', `${APP_PROXY}/api/sources/alb`, (req) => ({ status: 200, body: req.data }));
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.edit('alb')));
    expect(screen.getByTestId(testIds.sourceForm.field('vpcFlowFormat'))).toHaveValue(format);
    type(testIds.sourceForm.field('prefix'), 'AWSLogs/573797898131/vpcflowlogs/');
    fireEvent.click(screen.getByTestId(testIds.sourceForm.save));
    await waitFor(() => expect(mockBackend.sent('PUT', `${APP_PROXY}/api/sources/alb`)).toHaveLength(1));
    expect(mockBackend.sent('PUT', `${APP_PROXY}/api/sources/alb`)[0].data).toMatchObject({ logType: 'vpcflow', vpcFlowFormat: format });
  });

  it('removes a source after confirming, and says why when the sidecar refuses', async () => {
    mockBackend.on('DELETE', `${APP_PROXY}/api/sources/alb`, {
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'source "alb" has a running backfill' },
    });
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.remove('alb')));
    fireEvent.click(await confirmButton());
    expect(await screen.findByText('source "alb" has a running backfill')).toBeInTheDocument();

    mockBackend.on('DELETE', `${APP_PROXY}/api/sources/alb`, { status: 204 });
    fireEvent.click(screen.getByTestId(testIds.sources.remove('alb')));
    fireEvent.click(await confirmButton());
    await waitFor(() => expect(mockBackend.sent('DELETE', `${APP_PROXY}/api/sources/alb`)).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText('source "alb" has a running backfill')).not.toBeInTheDocument());
  });

  it("offers adding, editing and removing sources only to the role plugin.json's routes allow (Admin)", async () => {
    config.bootData.user.orgRole = OrgRole.Editor;
    await renderPage();
    expect(screen.getByTestId(testIds.sources.readOnly)).toHaveTextContent('Only an organization Admin can add, edit or remove sources.');
    expect(screen.queryByTestId(testIds.sources.add)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.sources.edit('alb'))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.sources.remove('alb'))).not.toBeInTheDocument();
    // What Editors may do stays: backfills and the failures of a source.
    expect(within(rowOf('acme-alb')).getByText('Backfill').closest('a')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.sources.failures('cloudtrail'))).toBeInTheDocument();
  });

  it('shows failed objects and malformed records with their reasons', async () => {
    mockBackend.on('GET', `${APP_PROXY}/api/objects`, (req) => ({
      status: 200,
      body: req.params?.problems === 'true' && req.params?.source === 'cloudtrail' ? problemObjects : { objects: [] },
    }));
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.sources.failures('cloudtrail')));
    expect(await screen.findByText('no record could be parsed as cloudtrail: not a JSON record')).toBeInTheDocument();
    expect(screen.getByText(/eventTime "yesterday-ish" is not a valid time/)).toBeInTheDocument();
    expect(screen.getAllByText(/_broken\.json\.gz$/)).toHaveLength(1);
  });

  it('says when the sidecar cannot be reached', async () => {
    mockBackend.on('GET', `${APP_PROXY}/api/sources`, { status: 502, body: { message: 'Bad Gateway' } });
    mockBackend.on('GET', `${APP_PROXY}/api/health`, { status: 502, body: { message: 'Bad Gateway' } });
    render(<SourcesPage />);
    expect(await screen.findByText('Could not list the sources')).toBeInTheDocument();
    expect(screen.getByText('Could not list the sources').closest('[role="alert"]')).toHaveTextContent(
      'list sources: Grafana could not reach the sidecar (HTTP 502: Bad Gateway); check the sidecar URL and that the sidecar is running'
    );
    expect(screen.getByText('Cannot reach the Lookback sidecar').closest('[role="alert"]')).toBeInTheDocument();
  });
});
