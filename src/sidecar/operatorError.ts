/**
 * An error whose message alone tells the operator what to fix (a bad config or command line, a
 * store that cannot be used): the CLI prints it in one line, without a stack.
 */
export class OperatorError extends Error {}
