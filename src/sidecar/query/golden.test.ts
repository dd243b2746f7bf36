import { describeGoldenQueries } from './goldenSuite';
import { openTestStore } from './testing';

describeGoldenQueries('chDB', () => openTestStore());
