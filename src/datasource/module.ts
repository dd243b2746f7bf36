import { DataSourcePlugin } from '@grafana/data';
import { LookbackDataSource } from './datasource';
import { ConfigEditor } from './editors/ConfigEditor';
import { QueryEditor } from './editors/QueryEditor';
import type { LookbackOptions, LookbackQuery } from './types';

export const plugin = new DataSourcePlugin<LookbackDataSource, LookbackQuery, LookbackOptions>(LookbackDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
