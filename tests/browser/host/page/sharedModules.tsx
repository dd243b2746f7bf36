import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as i18next from 'i18next';
import * as jquery from 'jquery';
import * as lodash from 'lodash';
import * as moment from 'moment';
import * as prismjs from 'prismjs';
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as reactRedux from 'react-redux';
import * as reactRouter from 'react-router';
import * as reactRouterDom from 'react-router-dom';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
import * as jsxRuntime from 'react/jsx-runtime';
import * as redux from 'redux';
import * as rxjs from 'rxjs';

/**
 * What Grafana shares with plugins (the externals of the scaffold's webpack config,
 * .config/bundler/externals.ts), as the very module instances the host pages use, so a plugin
 * and its host render with one React, one theme context and one router.
 */
export const sharedModules: Record<string, unknown> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  i18next,
  jquery,
  lodash,
  moment,
  prismjs,
  react,
  'react-dom': reactDom,
  'react-redux': reactRedux,
  'react-router': reactRouter,
  'react-router-dom': reactRouterDom,
  'react/jsx-dev-runtime': jsxDevRuntime,
  'react/jsx-runtime': jsxRuntime,
  redux,
  rxjs,
};
