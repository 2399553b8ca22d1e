/**
 * A collector-like OTLP/HTTP trace receiver on a free loopback port: it keeps the spans of
 * every JSON export request (`POST /v1/traces`, what `@opentelemetry/exporter-trace-otlp-http`
 * sends) and answers as a collector does. For tests that export spans from another process too.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A span as OTLP's JSON encoding has it: ids in hex, `kind` 1 internal … 3 client. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly { readonly key: string; readonly value: Readonly<Record<string, unknown>> }[];
  readonly events?: readonly { readonly name: string; readonly attributes?: OtlpSpan["attributes"] }[];
  readonly status?: { readonly code?: number; readonly message?: string };
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>/v1/traces`, the exporter's `url`. */
  readonly url: string;
  /** The spans received so far, in the order they arrived. */
  spans(): OtlpSpan[];
  /** Forgets the spans received so far. */
  clear(): void;
  close(): Promise<void>;
}

interface OtlpExport {
  readonly resourceSpans?: readonly { readonly scopeSpans?: readonly { readonly spans?: readonly OtlpSpan[] }[] }[];
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  let received: OtlpSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/v1/traces" || !String(request.headers["content-type"]).includes("json")) {
        response.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport;
      for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) received.push(...(scope.spans ?? []));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans: () => [...received],
    clear: () => {
      received = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A span attribute's value, whatever its OTLP type (`stringValue`, `intValue` as text, `boolValue`…). */
export function otlpAttribute(span: { readonly attributes?: OtlpSpan["attributes"] }, key: string): unknown {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  const [type, raw] = Object.entries(value)[0] ?? [];
  return type === "intValue" ? Number(raw) : raw;
}
