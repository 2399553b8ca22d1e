/**
 * Collects what a generated module imports, as code is produced, and turns it into
 * ts-morph import structures in a stable order.
 */
import type { ImportDeclarationStructure } from "ts-morph";
import { StructureKind } from "./ts-morph.ts";

/** Runtime modules a generated package may ship, and the packages each needs. */
export const RUNTIME_MODULES = {
  "./runtime.js": { source: "runtime.ts", dependencies: [] },
  "./runtime-flow.js": { source: "flow.ts", dependencies: [] },
  // Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) as OpenAPI's Encoding Object says.
  "./runtime-form.js": { source: "form.ts", dependencies: [] },
  // Servers and credentials (OpenAPI Server and Security Scheme Objects): every client uses the
  // first; the second when its description has security schemes; the third (undici) for mutual TLS.
  "./runtime-servers.js": { source: "runtime-servers.ts", dependencies: [] },
  "./runtime-auth.js": { source: "runtime-auth.ts", dependencies: [] },
  "./runtime-oauth.js": { source: "runtime-oauth.ts", dependencies: [] },
  "./runtime-mtls.js": { source: "runtime-mtls.ts", dependencies: ["undici"] },
  // OpenTelemetry traces and metrics; `@opentelemetry/api` is an optional peer dependency, loaded when a run starts.
  "./runtime-telemetry.js": { source: "runtime-telemetry.ts", dependencies: [] },
  "./runtime-jsonpath.js": { source: "jsonpath.ts", dependencies: ["json-p3"] },
  "./runtime-jsonpath-goessner.js": { source: "jsonpath-goessner.ts", dependencies: ["jsonpath-plus"] },
  "./runtime-xpath.js": { source: "xpath.ts", dependencies: ["xpath", "@xmldom/xmldom"] },
  // Arazzo 1.1 message steps: the runtime, the transport interface it uses, and the adapters
  // users import (`<package>/transports/mqtt`, `…/nats`; no dependency: users pass their client).
  "./runtime-messages.js": { source: "messages.ts", dependencies: [] },
  "./async.js": { source: "async.ts", dependencies: [] },
  "./transport-mqtt.js": { source: "transport-mqtt.ts", dependencies: [] },
  "./transport-nats.js": { source: "transport-nats.ts", dependencies: [] },
  // Durable targets: the journal interface workflow modules take, and its Restate implementation.
  "./durable.js": { source: "durable.ts", dependencies: [] },
  "./runtime-restate.js": { source: "restate.ts", dependencies: ["@restatedev/restate-sdk"] },
} as const;

export type RuntimeModule = keyof typeof RUNTIME_MODULES;

export class Imports {
  private readonly byModule = new Map<string, Map<string, { alias?: string; typeOnly: boolean }>>();

  use(module: string, name: string, options: { typeOnly?: boolean; alias?: string } = {}): string {
    let names = this.byModule.get(module);
    if (!names) {
      names = new Map();
      this.byModule.set(module, names);
    }
    const existing = names.get(name);
    names.set(name, { alias: options.alias, typeOnly: (existing?.typeOnly ?? true) && !!options.typeOnly });
    return options.alias ?? name;
  }

  /** Whether the module imports `name` from `module` (so a doc comment may `{@link}` it). */
  has(module: string, name: string): boolean {
    return this.byModule.get(module)?.has(name) ?? false;
  }

  /** Runtime modules in use, so the package ships them. */
  runtimeModules(): RuntimeModule[] {
    return [...this.byModule.keys()].filter((m): m is RuntimeModule => m in RUNTIME_MODULES);
  }

  /** Import declarations: local modules in the order first used, names sorted; type-only modules as `import type`. */
  structures(): ImportDeclarationStructure[] {
    return [...this.byModule].map(([moduleSpecifier, names]) => {
      const entries = [...names].sort(([a], [b]) => a.localeCompare(b));
      const allTypes = entries.every(([, n]) => n.typeOnly);
      return {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier,
        isTypeOnly: allTypes,
        namedImports: entries.map(([name, n]) => ({ name, alias: n.alias, isTypeOnly: !allTypes && n.typeOnly })),
      };
    });
  }
}
