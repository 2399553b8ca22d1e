/**
 * The quick way to read YAML data: js-yaml (a maintained YAML reader, 5 to 10 times faster
 * than the `yaml` package on large descriptions: 2.25 MB in about 60 ms against 400 ms)
 * gives the data, and the `yaml` package, which keeps source positions, reads the text only
 * when something asks where a value is (`document.ts`). Most descriptions are read for
 * their data alone; diagnostics point into few of them.
 *
 * It answers only when js-yaml's data is the `yaml` package's, and otherwise returns
 * undefined so that the `yaml` reader runs, with its diagnostics:
 * - scalars are resolved by the YAML 1.2 core schema, as the `yaml` package resolves them
 *   (js-yaml's own core schema also reads `1_000` and `0b101` as numbers, as YAML 1.1 did);
 * - any anchor (so any alias or merge key) makes it give up: the `yaml` reader limits how far
 *   aliases expand and reports an alias to a node that contains it;
 * - standard and non-specific tags (`!!str 1`, `! 1`), and text that may be one;
 * - anything js-yaml rejects: duplicate keys, other tags, several documents,
 *   syntax errors, nesting that exhausts the stack;
 * - directives (`%YAML 1.1` reads `yes` as true), null keys and collections as keys, and
 *   explicit keys (`? `): each reader turns such a key into another string;
 * - the characters YAML readers may treat differently, as for JSON (`json.ts`).
 *
 * `test/unit/document.test.ts` holds both readers to the same data on the corpus and on
 * scalars where YAML 1.1 and 1.2 differ.
 */
import jsYaml from "js-yaml";

const { FAILSAFE_SCHEMA, Type, load } = jsYaml;

/** YAML 1.2.2, 10.3.2: the core schema's tag resolution, as regular expressions over plain scalars. */
const NULL = /^(?:~|null|Null|NULL)?$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const CORE_1_2 = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type("tag:yaml.org,2002:null", { kind: "scalar", resolve: (s: string | null) => s === null || NULL.test(s), construct: () => null }),
    new Type("tag:yaml.org,2002:bool", {
      kind: "scalar",
      resolve: (s: string | null) => s !== null && BOOL.test(s),
      construct: (s: string) => s[0] === "t" || s[0] === "T",
    }),
    new Type("tag:yaml.org,2002:int", { kind: "scalar", resolve: (s: string | null) => s !== null && INT.test(s), construct: integer }),
    new Type("tag:yaml.org,2002:float", { kind: "scalar", resolve: (s: string | null) => s !== null && FLOAT.test(s), construct: float }),
  ],
});

/** The integer the `yaml` package reads: octal and hexadecimal by their prefix, the rest as decimal. */
function integer(text: string): number {
  if (text.startsWith("0o")) return parseInt(text.slice(2), 8);
  if (text.startsWith("0x")) return parseInt(text.slice(2), 16);
  return parseInt(text, 10);
}

function float(text: string): number {
  const lower = text.toLowerCase();
  if (lower.endsWith(".nan")) return Number.NaN;
  if (lower.endsWith(".inf")) return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return parseFloat(text);
}

/** `text`'s data, or undefined when the `yaml` reader must read it (see the header). */
export function readYamlQuickly(text: string): { readonly data: unknown } | undefined {
  if (/[\u007f-\u009f\u2028\u2029\ufeff]|\r(?!\n)/.test(text)) return undefined;
  // A standard tag (`!!float 1`, `!<tag:yaml.org,2002:str>`) or the non-specific one (`! 12`):
  // js-yaml would resolve it through this schema's types (other tags it rejects). Text such as
  // `Note ! ` gives up too, which only costs the time the quick way saves.
  if (/!!|!<|(?:^|[\s,[{])!(?:[ \t]|$)/m.test(text)) return undefined;
  // A directive (`%YAML 1.1` changes how scalars read), a null key (`~:`, `null:`, an empty key:
  // the readers turn it into different strings) or a flow collection as a key (`[1, 2]: a`).
  if (/^%|^[ \t]*(?:-[ \t]+)*(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|$)|^[ \t]*(?:-[ \t]+)*[[{].*[\]}][ \t]*:(?:[ \t]|$)/m.test(text)) return undefined;
  // An explicit key (`? [a, b]: x`) may be a collection, which the readers turn into different strings.
  if (/^[ \t-]*\?(?:[ \t]|$)/m.test(text)) return undefined;
  let anchored = false;
  try {
    const data = load(text, {
      schema: CORE_1_2,
      json: false,
      // js-yaml's state has the anchor of the node just read (its types leave it out).
      listener(event, state) {
        if (event === "close" && (state as { anchor?: string | null }).anchor != null) anchored = true;
      },
    });
    return anchored ? undefined : { data: data ?? null };
  } catch {
    return undefined;
  }
}
