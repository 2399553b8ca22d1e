/**
 * Mutual TLS (OpenAPI 3.1 `mutualTLS` security scheme): requests of a client sent through
 * the global fetch with an undici dispatcher that presents the client certificate. Only
 * packages whose descriptions have such a scheme ship this module (and depend on undici);
 * undici itself is loaded on the first request that needs it.
 */
import type { ClientCertificate } from "./runtime-auth.js";
import { ArazzoConfigError } from "./runtime.js";
import { onMocks } from "./runtime-servers.js";

type FetchLike = (input: Request) => Promise<Response>;

/** Marks a fetch that passes its second argument (`{ dispatcher }`) on to the global fetch. */
export const TAKES_INIT = Symbol.for("arazzo-ts.fetch-takes-init");

/** One dispatcher per certificate object, so connections are reused across runs. */
const dispatchers = new WeakMap<ClientCertificate, Promise<unknown>>();

function dispatcherFor(certificate: ClientCertificate): Promise<unknown> {
  let dispatcher = dispatchers.get(certificate);
  if (!dispatcher) {
    dispatcher = import("undici").then(({ Agent }) => {
      const { cert, key, ca, passphrase } = certificate;
      // Typed loosely: undici's TLS options name Node.js's `Buffer`, which this package's code does not assume.
      const connect = { cert, key, ...(ca === undefined ? {} : { ca }), ...(passphrase === undefined ? {} : { passphrase }) };
      return new Agent({ connect: connect as never });
    });
    dispatchers.set(certificate, dispatcher);
  }
  return dispatcher;
}

/**
 * The fetch a client with a client certificate uses: the global fetch (as it is at each
 * request) with the certificate's dispatcher. A run's own `fetch` cannot take a dispatcher,
 * which is an error (the package's mock fetch takes any credentials and is kept).
 */
export function mutualTlsFetch(source: string, certificate: ClientCertificate, fetch: FetchLike | undefined): FetchLike | undefined {
  if (fetch && onMocks(fetch)) return fetch;
  // A fetch that passes its second argument on to the global fetch (`arazzo-ts run`'s recorder) takes the dispatcher.
  if (fetch && TAKES_INIT in fetch) {
    return async (request) =>
      (fetch as (input: Request, init: { dispatcher: unknown }) => Promise<Response>)(request, { dispatcher: await dispatcherFor(certificate) });
  }
  if (fetch) {
    throw new ArazzoConfigError(
      source,
      "a TLS client certificate is given (`options.auth`), and `options.fetch` cannot present one: leave `options.fetch` unset (the global fetch is used, with the certificate)",
    );
  }
  return async (request) => {
    const dispatcher = await dispatcherFor(certificate);
    return (globalThis.fetch as (input: Request, init: { dispatcher: unknown }) => Promise<Response>)(request, { dispatcher });
  };
}
