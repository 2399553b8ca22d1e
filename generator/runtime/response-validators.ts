/**
 * The response validators of a generated package (`options.validateResponses`): each
 * package gets its own version of this module, with a validator compiled at generation time
 * for every JSON response body its steps read (Ajv standalone code, so a run compiles no
 * schema). It is loaded only when a run turns validation on. This stub, with no validators,
 * is what the runtime is type-checked against.
 */

/** What `validateResponse` returns for a response it has no validator for. */
export const NO_VALIDATOR = "no validator";

/** Why `body` does not fit the schema of the response `key` (`METHOD /path status`): the JSON pointer and the rule, never the value; undefined when it fits. */
export function validateResponse(key: string, body: unknown): string | undefined {
  void key;
  void body;
  return NO_VALIDATOR;
}
