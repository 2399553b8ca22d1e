/**
 * Command-line parsing shared by `arazzo-ts generate|validate` and `arazzo-ts run`: node:util
 * `parseArgs`, with its errors said in the command's own words: an unknown option with the
 * closest known one ("did you mean"), or named as an option of the other command. Light (node:util
 * and `suggest.ts`): the CLI parses before it loads anything heavy.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "./suggest.ts";

export type OptionTable = NonNullable<ParseArgsConfig["options"]>;

type Parsed<O extends OptionTable> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>;

export type CommandLineParse<O extends OptionTable> =
  | { readonly ok: true; readonly values: Parsed<O>["values"]; readonly positionals: string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Parses `argv` against `options`. On an unknown option the message is `unknown option --tagret;
 * did you mean --target?`, or, for an option `elsewhere` knows, where it belongs (`--mock is an
 * option of run, …`); on an option without its value, `--out needs a value`; on a value given to a
 * flag, `--check takes no value`.
 */
export function parseCommandLine<O extends OptionTable>(
  argv: readonly string[],
  options: O,
  elsewhere: (name: string) => string | undefined = () => undefined,
): CommandLineParse<O> {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true });
    return { ok: true, values: parsed.values as Parsed<O>["values"], positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return { ok: false, message: unknownOption(argv, options, elsewhere) ?? message };
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return { ok: false, message: badValue(argv, options) ?? message };
    return { ok: false, message };
  }
}

/** What to say about the first option of `argv` given a value it does not take, or none where it needs one. */
function badValue(argv: readonly string[], options: OptionTable): string | undefined {
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option" || !Object.hasOwn(options, token.name)) continue;
    const takesValue = options[token.name]!.type === "string";
    if (takesValue && token.value === undefined) return `${token.rawName} needs a value`;
    if (takesValue && !token.inlineValue && token.value?.startsWith("-"))
      return `${token.rawName} needs a value (one that starts with - is written --${token.name}=${token.value})`;
    if (!takesValue && token.value !== undefined) return `${token.rawName} takes no value`;
  }
  return undefined;
}

/** What to say about the first option of `argv` that `options` does not have. */
function unknownOption(argv: readonly string[], options: OptionTable, elsewhere: (name: string) => string | undefined): string | undefined {
  // Parsed again without strictness: the tokens say which option it was, however it was written (`--x=1`, `-abc`).
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const unknown = tokens.find((t) => t.kind === "option" && !Object.hasOwn(options, t.name));
  if (unknown?.kind !== "option") return undefined;
  const written = unknown.rawName;
  if (!written.startsWith("--")) return `unknown option ${written}`;
  const belongs = elsewhere(unknown.name);
  if (belongs) return `${written} is an option of ${belongs}`;
  // `--t` for `-t`: the long name of that short option.
  const short = Object.entries(options).find(([, o]) => unknown.name.length === 1 && o.short === unknown.name)?.[0];
  const close = short ?? closest(unknown.name, Object.keys(options));
  return `unknown option ${written}${close ? `; did you mean --${close}?` : ""}`;
}
