/**
 * The values `arazzo-ts run` reads from its command line that are not names: `env:<VAR>` (the
 * environment's value, so secrets stay out of shell history and files) and the limits
 * (`--timeout`, `--poll-delay` durations; `--max-steps` a count). Light: the command checks the
 * limits before it generates anything.
 */

/**
 * Reads `env:<VAR>` as the environment's value; another string stays. Undefined (and a problem)
 * when the variable is not set.
 */
export function fromEnvironment(value: string, what: string, problems: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!value.startsWith("env:")) return value;
  const name = value.slice(4);
  const found = env[name];
  if (found === undefined) problems.push(`${what}: environment variable ${name} is not set`);
  return found;
}

export interface LimitFlags {
  readonly timeout?: string;
  readonly maxSteps?: string;
  readonly pollDelay?: string;
}

export interface Limits {
  readonly timeoutMs?: number;
  readonly maxSteps?: number;
  readonly pollDelayMs?: number;
}

/** The limits, in milliseconds and steps; a problem for each that is not a positive duration or count (`--poll-delay` may be 0). */
export function parseLimits(flags: LimitFlags, problems: string[]): Limits {
  const number = (raw: string | undefined, option: string, unit: "ms" | "count", zero: boolean): number | undefined => {
    if (raw === undefined) return undefined;
    const match = unit === "ms" ? /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw) : /^(\d+)$/.exec(raw);
    const value = match ? Math.round(Number(match[1]) * (match[2] === "s" ? 1000 : 1)) : Number.NaN;
    if (!(value > 0 || (zero && value === 0))) {
      const what = unit === "ms" ? `a duration${zero ? "" : " above 0"} (250, 250ms, 1.5s)` : "a whole number above 0";
      problems.push(`${option} takes ${what}, not ${JSON.stringify(raw)}`);
      return undefined;
    }
    return value;
  };
  const timeoutMs = number(flags.timeout, "--timeout", "ms", false);
  const maxSteps = number(flags.maxSteps, "--max-steps", "count", false);
  const pollDelayMs = number(flags.pollDelay, "--poll-delay", "ms", true);
  return {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(maxSteps === undefined ? {} : { maxSteps }),
    ...(pollDelayMs === undefined ? {} : { pollDelayMs }),
  };
}
