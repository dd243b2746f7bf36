import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
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

describe('SourcesPage', () => {
  beforeEach(() => {
    mockBackend.reset();
    serve();
  });

  it('lists the sources with last event, volume, queue depths and failures, under the sidecar health', async () => {
    await renderPage();
    expect(screen.getByTestId(testIds.health.container)).toHaveTextContent('Sidecar 0.1.0');
    expect(screen.getByTestId(testIds.health.container)).toHaveTextContent('1,226 events from 49 objects; 1 failed objects, 2 malformed records');
    const alb = screen.getByRole('row', { name: /alb/ });
    expect(alb).toHaveTextContent('s3://acme-alb/ (us-east-1)');
    expect(alb).toHaveTextContent('457');
    expect(alb).toHaveTextContent('1,126 / 1');
    expect(alb).toHaveTextContent(/^(?!.*failed objects)/);
    const trail = screen.getAllByRole('row').find((r) => r.textContent?.includes('acme-cloudtrail'))!;
    expect(trail).toHaveTextContent('769');
    expect(trail).toHaveTextContent('1 failed objects, 2 malformed records');
    expect(within(trail).getByRole('link', { name: /backfill/i })).toHaveAttribute('href', '/a/lookback-siem-app/backfills?source=cloudtrail');
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
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('source "alb" has a running backfill')).toBeInTheDocument();

    mockBackend.on('DELETE', `${APP_PROXY}/api/sources/alb`, { status: 204 });
    fireEvent.click(screen.getByTestId(testIds.sources.remove('alb')));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(mockBackend.sent('DELETE', `${APP_PROXY}/api/sources/alb`)).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText('source "alb" has a running backfill')).not.toBeInTheDocument());
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
    expect(screen.getByRole('alert', { name: 'Could not list the sources' })).toHaveTextContent(
      'list sources: Grafana could not reach the sidecar (HTTP 502: Bad Gateway); check the sidecar URL and that the sidecar is running'
    );
    expect(screen.getByRole('alert', { name: 'Cannot reach the Lookback sidecar' })).toBeInTheDocument();
  });
});
