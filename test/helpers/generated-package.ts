/**
 * Loads a generated package from disk for a test: its main entry, its mocks
 * (`dist/mocks.js`), and the run function of a workflow by its id.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Mocks and entry of a generated package, and its run function for a workflowId (`run` + PascalCase, as generated). */
export async function loadPackage(dir: string) {
  const entry = (await import(pathToFileURL(path.join(dir, "dist/index.js")).href)) as Record<string, unknown>;
  const mocks = (await import(pathToFileURL(path.join(dir, "dist/mocks.js")).href)) as {
    createMockFetch: (options?: object) => ((input: Request) => Promise<Response>) & {
      requests: { method: string; url: string; step?: string; headers: Record<string, string>; security: string[] }[];
    };
    exampleInputs: Record<string, Record<string, unknown>>;
    /** Placeholder credentials for every security scheme of the package's clients. */
    exampleAuth: Record<string, Record<string, unknown>>;
  };
  const runner = (workflowId: string) => {
    const name = `run${workflowId.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`;
    const fn = Object.entries(entry).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (typeof fn !== "function") throw new Error(`no ${name} in ${dir}`);
    return fn as (inputs: unknown, options: object) => Promise<Record<string, unknown>>;
  };
  return { entry, mocks, runner };
}
