import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import appJson from '../plugin.json';
import dataSourceJson from '../datasource/plugin.json';
import { hasOrgRole, SOURCE_MANAGER_ROLE } from './roles';

describe('the role model of the app and the data source', () => {
  const routes = [...appJson.routes, ...dataSourceJson.routes];

  it('asks one role, Admin, for every route that changes sources; the pages read it from plugin.json', () => {
    const changing = appJson.routes.filter((r) => r.path.startsWith('sidecar/api/sources') && r.method !== 'GET');
    expect(changing.map((r) => r.method).sort()).toEqual(['DELETE', 'POST', 'PUT']);
    expect(new Set(changing.map((r) => r.reqRole))).toEqual(new Set(['Admin']));
    expect(SOURCE_MANAGER_ROLE).toBe('Admin');
  });

  it('lets Editors read through the app, run backfills and work detections, rules and hunts, and Viewers search through the data source', () => {
    expect(appJson.routes.filter((r) => !r.path.startsWith('sidecar/api/sources')).map((r) => [r.method, r.path, r.reqRole])).toEqual([
      ['GET', 'sidecar/*', 'Editor'],
      ['POST', 'sidecar/api/backfills', 'Editor'],
      ['POST', 'sidecar/api/backfills/*', 'Editor'],
      ['POST', 'sidecar/api/detections/*', 'Editor'],
      ['PUT', 'sidecar/api/rules/*', 'Editor'],
      ['POST', 'sidecar/api/hunts', 'Editor'],
    ]);
    expect(new Set(dataSourceJson.routes.map((r) => r.reqRole))).toEqual(new Set(['Viewer']));
    expect(dataSourceJson.routes.every((r) => r.method === 'GET' || ['sidecar/api/query', 'sidecar/api/histogram'].includes(r.path))).toBe(true);
    expect(routes.every((r) => r.headers.some((h) => h.name === 'Authorization'))).toBe(true);
  });

  it("compares the user's org role as Grafana's proxy does", () => {
    config.bootData.user.orgRole = OrgRole.Editor;
    expect(hasOrgRole('Editor')).toBe(true);
    expect(hasOrgRole('Viewer')).toBe(true);
    expect(hasOrgRole('Admin')).toBe(false);
    config.bootData.user.orgRole = OrgRole.Admin;
    expect(hasOrgRole('Admin')).toBe(true);
  });
});
