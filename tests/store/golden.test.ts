import { describeGoldenQueries } from '../../src/sidecar/query/goldenSuite';
import { openServerTestStore } from './stores';

// Each file starts a test server (a child process with chDB); the machine may be busy.
jest.setTimeout(60_000);

// The chDB run is src/sidecar/query/golden.test.ts: the same cases, the same expected SQL and rows.
describeGoldenQueries('the ClickHouse-server store', () => openServerTestStore({ withFixtures: true }));
