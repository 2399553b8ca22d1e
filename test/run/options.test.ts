/**
 * The run options `arazzo-ts run` reads from its command line (generator/run/options.ts):
 * servers by URL or index, server variables, credentials of every scheme shape, `env:` and
 * `file:` values, limits, and a precise problem for every mistake.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SourceModel } from "../../generator/ir/types.ts";
import { parseLimits } from "../../generator/run/flag-values.ts";
import { type OptionFlags, resolveOptions } from "../../generator/run/options.ts";

const petstore: SourceModel = {
  name: "petstore",
  pascalName: "Petstore",
  moduleName: "petstore",
  file: "/specs/petstore.yaml",
  title: "Petstore",
  servers: [
    { url: "https://{region}.pets.example/v1", variables: [{ name: "region", default: "eu" }] },
    { url: "https://sandbox.pets.example", variables: [] },
  ],
  securitySchemes: [
    { name: "apiKey", type: "apiKey", in: "header", paramName: "X-API-Key" },
    { name: "basicAuth", type: "http", scheme: "basic", authScheme: "Basic" },
    { name: "oauth", type: "oauth2", flows: ["clientCredentials"], clientCredentials: { tokenUrl: "https://auth.example/token", scopes: ["pets:read"] } },
    { name: "mtls", type: "mutualTLS" },
  ],
};
const events: SourceModel = { ...petstore, name: "events", kind: "asyncapi", servers: [], securitySchemes: [] };
const flags = (partial: Partial<OptionFlags>): OptionFlags => ({ server: [], serverVar: [], auth: [], ...partial });
const cwd = mkdtempSync(path.join(tmpdir(), "arazzo-run-options-"));

describe("resolveOptions", () => {
  it("reads servers, variables, credentials and limits", () => {
    writeFileSync(path.join(cwd, "client.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const resolved = resolveOptions(
      flags({
        server: ["petstore=1"],
        serverVar: ["petstore.region=us"],
        auth: [
          "petstore.apiKey=env:PET_KEY",
          "petstore.basicAuth.username=alice",
          "petstore.basicAuth.password=env:PET_PASSWORD",
          "petstore.oauth.clientId=app",
          "petstore.oauth.clientSecret=app-secret",
          "petstore.oauth.scopes=pets:read, pets:write",
          "petstore.mtls.cert=file:client.pem",
        ],
        timeout: "1.5s",
        maxSteps: "40",
        pollDelay: "250ms",
        validateResponses: true,
      }),
      [petstore, events],
      { cwd, env: { PET_KEY: "key-from-env", PET_PASSWORD: "pw-from-env" } },
    );
    expect(resolved.problems).toEqual([]);
    expect(resolved.options).toEqual({
      baseUrls: {},
      servers: { petstore: { server: 1, variables: { region: "us" } } },
      auth: {
        petstore: {
          apiKey: "key-from-env",
          basicAuth: { username: "alice", password: "pw-from-env" },
          oauth: { clientId: "app", clientSecret: "app-secret", scopes: ["pets:read", "pets:write"] },
          mtls: { cert: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" },
        },
      },
      timeoutMs: 1500,
      maxSteps: 40,
      pollDelayMs: 250,
      validateResponses: true,
    });
    // Every credential value is a secret; scopes are not.
    expect(resolved.secrets).toEqual(expect.arrayContaining(["key-from-env", "alice", "pw-from-env", "app", "app-secret"]));
    expect(resolved.secrets).not.toContain("pets:read, pets:write");
  });

  it("takes a URL for a source's base URL", () => {
    const resolved = resolveOptions(flags({ server: ["petstore=http://127.0.0.1:4010/v1"] }), [petstore], { cwd, env: {} });
    expect(resolved.problems).toEqual([]);
    expect(resolved.options.baseUrls).toEqual({ petstore: "http://127.0.0.1:4010/v1" });
  });

  it("names every mistake, with the close name when there is one", () => {
    const resolved = resolveOptions(
      flags({
        server: ["petstor=https://x.example", "petstore=5", "petstore=ftp://x", "events=https://x.example", "petstore"],
        serverVar: ["petstore.regoin=us", "petstore=us"],
        auth: [
          "petstore.apikey=k",
          "petstore.basicAuth=alice:pw",
          "petstore.oauth.token=x",
          "petstore.apiKey.value=k",
          "petstore.apiKey=env:UNSET",
          "petstore.mtls.cert=file:missing.pem",
          "a.b.c.d=x",
        ],
        timeout: "soon",
        maxSteps: "1.5",
        pollDelay: "-1",
      }),
      [petstore, events],
      { cwd, env: {} },
    );
    expect(resolved.problems).toEqual([
      "--server petstor: no source description `petstor` (did you mean `petstore`?); the documents have `petstore`",
      "--server petstore=5: its description lists 2 server(s)",
      '--server petstore: "ftp://x" is neither an http(s) URL nor the index of a server',
      "--server events: no source description `events`; the documents have `petstore`",
      '--server takes <source>=<url> (or <source>=<index of a server it describes>), not "petstore"',
      "--server-var petstore.regoin: the servers of `petstore` have no variable `regoin` (did you mean `region`?)",
      '--server-var takes <source>.<variable>=<value>, not "petstore=us"',
      "--auth petstore.apikey: `petstore` has no security scheme `apikey` (did you mean `apiKey`?); it has `apiKey`, `basicAuth`, `oauth`, `mtls`",
      "--auth petstore.basicAuth: give its fields: petstore.basicAuth.username=…, petstore.basicAuth.password=…",
      "--auth petstore.oauth.token: scheme `oauth` takes clientId, clientSecret, scopes, clientAuthentication, tokenUrl",
      "--auth petstore.apiKey.value: scheme `apiKey` takes one value: --auth petstore.apiKey=<value>",
      "--auth petstore.apiKey: environment variable UNSET is not set",
      "--auth petstore.mtls.cert: cannot read missing.pem",
      '--auth takes <source>.<scheme>=<value> or <source>.<scheme>.<field>=<value>, not "a.b.c.d=x"',
      '--timeout takes a duration above 0 (250, 250ms, 1.5s), not "soon"',
      '--max-steps takes a whole number above 0, not "1.5"',
      '--poll-delay takes a duration (250, 250ms, 1.5s), not "-1"',
    ]);
  });
});

describe("parseLimits", () => {
  it("takes positive durations and counts, and a poll delay of 0", () => {
    const problems: string[] = [];
    expect(parseLimits({ timeout: "30s", maxSteps: "5", pollDelay: "0" }, problems)).toEqual({ timeoutMs: 30_000, maxSteps: 5, pollDelayMs: 0 });
    expect(parseLimits({ timeout: "0", maxSteps: "0" }, problems)).toEqual({});
    expect(problems).toEqual(['--timeout takes a duration above 0 (250, 250ms, 1.5s), not "0"', '--max-steps takes a whole number above 0, not "0"']);
  });
});
