import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

// Grafana's TemplateSrv on a page without dashboard variables (Explore, a config page): it
// interpolates the request's scoped variables (`$__interval`, ...) and the time range macros,
// and leaves every other `$name` as written, as Grafana does for a variable it does not know.

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

type Format = string | ((value: unknown, variable?: unknown) => string) | undefined;

function formatValue(value: unknown, format: Format): string {
  if (typeof format === 'function') {
    return format(value);
  }
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  switch (format) {
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'json':
      return JSON.stringify(Array.isArray(value) ? values : values[0]);
    case 'doublequote':
      return values.map((v) => `"${v}"`).join(',');
    case 'singlequote':
      return values.map((v) => `'${v}'`).join(',');
    case 'regex':
      return values.length > 1 ? `(${values.join('|')})` : values[0];
    default:
      return values.length > 1 ? `{${values.join(',')}}` : values[0];
  }
}

export class HostTemplateSrv implements TemplateSrv {
  private timeRange?: TimeRange;

  getVariables(): TypedVariableModel[] {
    return [];
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.timeRange = timeRange;
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && new RegExp(VARIABLE.source).test(target));
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(
      VARIABLE,
      (match, simple?: string, legacy?: string, legacyFormat?: string, braced?: string, _path?: string, bracedFormat?: string) => {
        const name = simple ?? legacy ?? braced ?? '';
        const fmt = (bracedFormat ?? legacyFormat ?? format) as Format;
        const macro = this.timeMacro(name, typeof fmt === 'string' ? fmt : undefined);
        if (macro !== undefined) {
          return macro;
        }
        const scoped = scopedVars?.[name];
        return scoped ? formatValue(scoped.value, fmt) : match;
      }
    );
  }

  private timeMacro(name: string, format: string | undefined): string | undefined {
    if (!this.timeRange || (name !== '__from' && name !== '__to')) {
      return undefined;
    }
    const time = name === '__from' ? this.timeRange.from : this.timeRange.to;
    return format?.startsWith('date') ? time.toISOString() : String(time.valueOf());
  }
}
