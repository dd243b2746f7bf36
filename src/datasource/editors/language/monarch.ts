import type { monacoTypes } from '@grafana/ui';
import {
  LANGUAGE_AGGREGATES,
  LANGUAGE_FUNCTIONS,
  LANGUAGE_KEYWORDS,
  LANGUAGE_STAGES,
  LANGUAGE_TABLES,
  LANGUAGE_WORD_OPERATORS,
} from '../../../shared/language';

export const LANGUAGE_ID = 'lookback-kql';

const wordOperators = LANGUAGE_WORD_OPERATORS.filter((op) => /^[a-z_~]+$/.test(op) && !op.includes('~'));

/** Syntax highlighting: stages and keywords, tables, functions, strings, numbers, timespans, variables. */
export const monarchLanguage: monacoTypes.languages.IMonarchLanguage = {
  ignoreCase: false,
  defaultToken: '',
  stages: LANGUAGE_STAGES.map((s) => s.name),
  keywords: [...LANGUAGE_KEYWORDS, 'regex', 'matches'],
  operatorWords: wordOperators,
  tables: [...LANGUAGE_TABLES],
  functions: [...new Set([...LANGUAGE_FUNCTIONS, ...LANGUAGE_AGGREGATES].map((f) => f.name))],
  tokenizer: {
    root: [
      [/\/\/.*$/, 'comment'],
      [/\$\{?[A-Za-z_]\w*(:\w+)?\}?/, 'variable'],
      [/@"/, { token: 'string', next: '@verbatimDouble' }],
      // h"..." and h'...': strings kept out of logs, read like any other.
      [/[hH]"/, { token: 'string', next: '@stringDouble' }],
      [/[hH]'/, { token: 'string', next: '@stringSingle' }],
      [/"/, { token: 'string', next: '@stringDouble' }],
      [/'/, { token: 'string', next: '@stringSingle' }],
      [/`[^`]*`/, 'identifier.quote'],
      [/\d+(\.\d+)?(ms|s|m|h|d)\b/, 'number.timespan'],
      [/\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'],
      [/!(has|contains|startswith|endswith|in|between)(_cs)?\b/, 'operator'],
      [/project-(away|rename|keep|reorder)|mv-(expand|apply)|top-nested|parse-where|make-series/, 'keyword'],
      [/<>/, 'operator'],
      [
        /[A-Za-z_][\w]*/,
        {
          cases: {
            '@stages': 'keyword',
            '@keywords': 'keyword',
            '@operatorWords': 'operator',
            '@tables': 'type',
            '@functions': 'predefined',
            '@default': 'identifier',
          },
        },
      ],
      [/==|!=|<=|>=|=~|!~|[<>=|]/, 'operator'],
      [/[(),;[\].{}]/, 'delimiter'],
    ],
    stringDouble: [
      [/[^\\"]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, { token: 'string', next: '@pop' }],
    ],
    stringSingle: [
      [/[^\\']+/, 'string'],
      [/\\./, 'string.escape'],
      [/'/, { token: 'string', next: '@pop' }],
    ],
    verbatimDouble: [
      [/[^"]+/, 'string'],
      [/""/, 'string.escape'],
      [/"/, { token: 'string', next: '@pop' }],
    ],
  },
};

export const languageConfiguration: monacoTypes.languages.LanguageConfiguration = {
  comments: { lineComment: '//' },
  brackets: [
    ['(', ')'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '"', close: '"', notIn: ['string'] },
    { open: "'", close: "'", notIn: ['string'] },
    { open: '`', close: '`' },
  ],
  wordPattern: /[A-Za-z_$][\w.-]*/,
};
