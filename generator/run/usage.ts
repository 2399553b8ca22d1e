/**
 * What `arazzo-ts run --help` prints, and the options it parses: their own module, so the help
 * loads nothing else (and `generate` can tell an option of `run` given to it).
 */

/** The options of `arazzo-ts run` (node:util `parseArgs`). */
export const RUN_OPTIONS = {
  workflow: { type: "string", multiple: true },
  skip: { type: "string", multiple: true },
  mock: { type: "boolean" },
  input: { type: "string", multiple: true },
  inputs: { type: "string" },
  server: { type: "string", multiple: true },
  "server-var": { type: "string", multiple: true },
  auth: { type: "string", multiple: true },
  timeout: { type: "string" },
  "max-steps": { type: "string" },
  "poll-delay": { type: "string" },
  "validate-responses": { type: "boolean" },
  report: { type: "string", multiple: true },
  "no-secrets-masking": { type: "boolean" },
  source: { type: "string", short: "s", multiple: true },
  config: { type: "string", short: "c" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

export const RUN_USAGE = `Usage:
  arazzo-ts run [<arazzo-file>...] [--workflow <id>]... [--skip <id>]... [--mock]
                [--input <name>=<value>]... [--inputs <file.json>]
                [--server <source>=<url>|<index>]... [--server-var <source>.<name>=<value>]...
                [--auth <source>.<scheme>[.<field>]=<value>]... [--timeout <duration>]
                [--max-steps <n>] [--poll-delay <duration>] [--validate-responses]
                [--report <kind>=<file>]... [--no-secrets-masking] [--source <name>=<file>]...
                [--config <file>] [--quiet]

Runs workflows, in document order, against their APIs (or the packages' own mocks with --mock)
and prints each request, each transition and the outputs. The documents come from the config
file when none are given; their packages are generated into node_modules/.cache/arazzo-ts/run
(else ~/.cache/arazzo-ts/run), and taken from there while their files do not change.

Options:
      --workflow <id>               run this workflow (repeatable; default: all of them)
      --skip <id>                   do not run this workflow (repeatable)
      --mock                        answer from the packages' own mocks, with their example
                                    inputs and credentials where none are given
      --input <name>=<value>        an input (repeatable); parsed as JSON unless the input is a
                                    string; env:<VAR> reads the environment
      --inputs <file.json>          an object of inputs, or of inputs per workflowId
      --server <source>=<url>       the base URL of a source (replaces its servers), or
                                    <source>=<index> to choose one it describes
      --server-var <source>.<name>=<value>
                                    a server variable of a source
      --auth <source>.<scheme>=<value>
                                    a credential (a token, an API key); for Basic, OAuth2 clients
                                    and certificates one field at a time: <source>.<scheme>.<field>
                                    (username, password; clientId, clientSecret, scopes,
                                    clientAuthentication, tokenUrl;
                                    cert, key, ca, passphrase); env:<VAR> and file:<path> values
      --timeout <duration>          longest wait for each response (250, 250ms, 30s)
      --max-steps <n>               step budget of a workflow with jumps (default 100)
      --poll-delay <duration>       wait before a goto goes back to a step (a poll)
      --validate-responses          check each JSON body a step reads against its schema
      --report <kind>=<file>        write a report: json, junit, har or html (repeatable)
      --no-secrets-masking          print and write credentials and secret inputs as they are
  -s, --source <name>=<file>        read source description <name> from a local file
  -c, --config <file>               use this config file instead of looking for one
  -q, --quiet                       print failures only
  -h, --help                        show this help

Exit codes: 0 every workflow run passed, 1 one failed (or a report could not be written), 2
wrong usage, a document that does not generate, or inputs and options that do not fit (nothing
runs then).`;
