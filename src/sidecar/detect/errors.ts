/** A construct of a rule Lookback cannot translate or that breaks the rule's language: where, and why. */
export class RuleSyntaxError extends Error {
  constructor(
    /** Where in the rule: `detection.selection.eventName|re`, `correlation.timespan`, `query`. */
    readonly construct: string,
    readonly reason: string
  ) {
    super(`${construct}: ${reason}`);
  }
}

/** A rule refused: its file, the rule (title and id when known), the construct and the reason. */
export class RuleError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly rule?: string,
    readonly construct?: string
  ) {
    super(`${file}: ${rule ? `rule ${rule}: ` : ''}${construct ? `${construct}: ` : ''}${reason}`);
  }
}
