// Handlebars ships no types for its parser module; `Handlebars.parse` is this function.
declare module 'handlebars/dist/cjs/handlebars/compiler/base' {
  /** The template's syntax tree; throws on a syntax error, pointing at it with a caret. */
  export function parse(input: string): unknown;
}
