// Grafana renders a plugin route's `url` and header `content` as Go templates over the plugin's
// (or data source's) settings. Plugins use field references only, which is what this renders:
// `{{ .JsonData.name }}` and `{{ .SecureJsonData.name }}`.

export interface TemplateData {
  JsonData: Record<string, unknown>;
  SecureJsonData: Record<string, string>;
}

export class RouteTemplateError extends Error {}

const ACTION = /{{-?\s*(.*?)\s*-?}}/g;

export function renderRouteTemplate(template: string, data: TemplateData): string {
  return template.replace(ACTION, (_match, action: string) => {
    const field = /^\.(JsonData|SecureJsonData)\.(\w+)$/.exec(action);
    if (!field) {
      throw new RouteTemplateError(`the test host renders only {{ .JsonData.x }} and {{ .SecureJsonData.x }} in route templates, not {{ ${action} }}`);
    }
    const [, map, key] = field;
    if (map === 'SecureJsonData') {
      // A missing key of Go's map[string]string renders as its zero value.
      return data.SecureJsonData[key] ?? '';
    }
    const value = data.JsonData[key];
    // ... and of map[string]interface{} as "<no value>".
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}
