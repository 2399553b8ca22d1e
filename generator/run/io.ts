/** Where `arazzo-ts run` writes, and what it knows of its surroundings. */
export interface RunIo {
  /** Text as it comes (a line may be written in parts, or rewritten on a terminal). */
  out(text: string): void;
  /** One line of errors. */
  err(line: string): void;
  /** Paths on the command line and in reports are relative to it; the config file is looked for from it. */
  readonly cwd: string;
  /** Whether `out` is a terminal: live countdowns and colour. */
  readonly tty: boolean;
  /** `env:` values are read from it; `NO_COLOR` turns colour off. */
  readonly env: NodeJS.ProcessEnv;
}
