/** A condition of the language as a tree, printed with no more parentheses than it needs. */
export type Logic = { kind: 'test'; text: string } | { kind: 'and' | 'or'; items: Logic[] } | { kind: 'not'; item: Logic };

/** A comparison or call: binds tighter than `not`, `and` and `or`. */
export function test(text: string): Logic {
  return { kind: 'test', text };
}

export function and(items: Logic[]): Logic {
  return junction('and', items);
}

export function or(items: Logic[]): Logic {
  return junction('or', items);
}

export function not(item: Logic): Logic {
  return item.kind === 'not' ? item.item : { kind: 'not', item };
}

function junction(kind: 'and' | 'or', items: Logic[]): Logic {
  const flat = items.flatMap((item) => (item.kind === kind ? item.items : [item]));
  return flat.length === 1 ? flat[0] : { kind, items: flat };
}

const BINDING = { top: 0, or: 1, and: 2, not: 3, test: 4 } as const;

/** The condition as language text; `within` is the operator it stands in. */
export function print(logic: Logic, within: keyof typeof BINDING = 'top'): string {
  if (logic.kind === 'test') {
    return logic.text;
  }
  if (logic.kind === 'not') {
    return `not (${print(logic.item)})`;
  }
  const text = logic.items.map((item) => print(item, logic.kind)).join(` ${logic.kind} `);
  // `a and b or c` needs none, but reads more easily with them.
  return BINDING[logic.kind] < BINDING[within] || (logic.kind === 'and' && within === 'or') ? `(${text})` : text;
}
