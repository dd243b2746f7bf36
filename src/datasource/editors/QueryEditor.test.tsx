import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { createDataFrame, LoadingState, type PanelData } from '@grafana/data';
import { testIds } from '../../components/testIds';
import { responseMeta } from '../frames/meta';
import type { LookbackDataSource } from '../datasource';
import type { LookbackQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Monaco cannot load in jsdom: the code editor is a textarea here (its Monaco side is tested in language/register.test.ts).
jest.mock('./PipelineEditor', () => ({
  PipelineEditor: (props: { value: string; error?: { line: number; column: number }; onChange(v: string): void }) => (
    <textarea
      aria-label="query"
      data-error-at={props.error ? `${props.error.line}:${props.error.column}` : ''}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    />
  ),
}));

const datasource = { client: {}, maxLines: 500 } as unknown as LookbackDataSource;

function panelData(overrides: Partial<PanelData>): PanelData {
  return { state: LoadingState.Done, series: [], timeRange: {} as PanelData['timeRange'], ...overrides };
}

function setup(query: Partial<LookbackQuery>, data?: PanelData) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      datasource={datasource}
      query={{ refId: 'A', format: 'logs', query: 'CloudTrail', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
      data={data}
    />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('edits the pipeline text', () => {
    const { onChange } = setup({});
    fireEvent.change(screen.getByRole('textbox', { name: 'query' }), { target: { value: 'ALB | take 5' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', format: 'logs', query: 'ALB | take 5' });
  });

  it('switches the result format and runs the query', () => {
    const { onChange, onRunQuery } = setup({});
    fireEvent.click(screen.getByRole('radio', { name: 'Time series' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', format: 'timeseries', query: 'CloudTrail' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it("sets a line limit, defaulting to the data source's, and rejects bad ones", () => {
    const { onChange, onRunQuery } = setup({});
    const limit = screen.getByTestId(testIds.queryEditor.maxLines);
    expect(limit).toHaveAttribute('placeholder', '500');
    fireEvent.change(limit, { target: { value: '50' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', format: 'logs', query: 'CloudTrail', maxLines: 50 });
    fireEvent.blur(limit);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    onRunQuery.mockClear();
    setup({ maxLines: 0 });
    expect(screen.getByText('a whole number from 1 to 100,000')).toBeInTheDocument();
    fireEvent.blur(screen.getAllByTestId(testIds.queryEditor.maxLines)[1]);
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it("shows the compiler's error for this query with its line and column", () => {
    setup(
      {},
      panelData({
        state: LoadingState.Error,
        errors: [
          { refId: 'B', message: 'line 1, column 1: other query' },
          { refId: 'A', message: 'line 2, column 3: unknown operator "whre" (did you mean "where"?)' },
        ],
      })
    );
    expect(screen.getByTestId(testIds.queryEditor.error)).toHaveTextContent('line 2, column 3: unknown operator "whre" (did you mean "where"?)');
    expect(screen.getByRole('textbox', { name: 'query' })).toHaveAttribute('data-error-at', '2:3');
  });

  it('says when the range is not loaded yet, with a link to backfill it', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [],
      meta: {
        notices: [
          {
            severity: 'warning',
            text: 'no logs of cloudtrail have been ingested for this time range (yet)',
            link: '/a/lookback-siem-app/backfills?from=x&to=y',
          },
        ],
      },
    });
    setup({}, panelData({ series: [frame] }));
    const notice = screen.getByTestId(testIds.queryEditor.coverage);
    expect(notice).toHaveTextContent('no logs of cloudtrail have been ingested for this time range (yet)');
    expect(screen.getByRole('link', { name: /start a backfill/i })).toHaveAttribute('href', '/a/lookback-siem-app/backfills?from=x&to=y');
  });

  it('says when a running backfill loads the missing hours first, with a link to it instead of starting another', () => {
    const meta = responseMeta(
      {
        columns: [],
        rows: [],
        stats: { rowsRead: 0, bytesRead: 0, elapsedMs: 1, rowsReturned: 0, truncated: false },
        coverage: {
          state: 'none',
          message: 'no logs of cloudtrail have been ingested for this time range (yet)',
          missingHours: ['2026-11-27T01:00:00.000Z'],
          loadingFirst: { hours: 1, expectedAt: '2026-11-27T10:00:20Z' },
        },
      },
      'CloudTrail',
      { from: '2026-11-27T01:00:00.000Z', to: '2026-11-27T02:00:00.000Z' },
      Date.parse('2026-11-27T10:00:00Z')
    );
    setup({}, panelData({ series: [createDataFrame({ refId: 'A', fields: [], meta })] }));
    const notice = screen.getByTestId(testIds.queryEditor.coverage);
    expect(notice).toHaveTextContent('The missing hours are being loaded first');
    expect(notice).toHaveTextContent(
      'The missing hour of this time range is being loaded first by a running backfill, expected in about 20 s: the results refresh when they land'
    );
    expect(screen.getByRole('link', { name: /show the backfill/i })).toHaveAttribute('href', '/a/lookback-siem-app/backfills');
    expect(screen.queryByRole('link', { name: /start a backfill/i })).not.toBeInTheDocument();
  });

  it("charts the sidecar's own state instead of a search", () => {
    const { onChange } = setup({});
    fireEvent.click(screen.getByRole('radio', { name: 'Backfills' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', format: 'table', query: 'CloudTrail', status: 'backfills' });
  });
});
