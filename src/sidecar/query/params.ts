/** Collects the values bound into a query as ClickHouse `{name:Type}` parameters. */
export class Params {
  readonly values: Record<string, unknown> = {};
  private count = 0;

  /** A fresh `{pN:Type}` placeholder for `value`. */
  add(type: string, value: unknown): string {
    const name = `p${++this.count}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  /** A placeholder under a fixed name (time range, variables), bound once however often it is used. */
  named(name: string, type: string, value: unknown): string {
    if (!(name in this.values)) {
      this.values[name] = value;
    }
    return `{${name}:${type}}`;
  }
}
