// The command line of a bench: `--name value` options and `--name` flags.
const args = process.argv.slice(2);

/** The value after `--name`, or undefined when the option is not given. */
export function stringOption(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The number after `--name`, or `fallback` when the option is not given. */
export function numberOption(name: string, fallback: number): number {
  const value = stringOption(name);
  return value === undefined ? fallback : Number(value);
}

export function flag(name: string): boolean {
  return args.includes(`--${name}`);
}
