import { describeGoldenQueries } from '../../src/sidecar/query/goldenSuite';
import { openServerTestStore } from './stores';

// The chDB run is src/sidecar/query/golden.test.ts: the same cases, the same expected SQL and rows.
describeGoldenQueries('the ClickHouse-server store', () => openServerTestStore({ withFixtures: true }));
