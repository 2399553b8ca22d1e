/**
 * Credentials (OpenAPI 3.1 §4.8.27 Security Scheme Object, §4.8.30 Security Requirement
 * Object), given per source and scheme in `options.auth`: API keys in a header, the query and
 * a cookie; HTTP Basic, Bearer and another HTTP scheme; OAuth2 client credentials and OpenID
 * Connect tokens fetched by the runtime (and fetched again after a 401); a requirement with two
 * schemes, alternatives, `security: []`, an optional `{}`; a step that sends its own token;
 * Respect's `x-security`; and what fails, before anything is sent, when credentials are missing.
 */
import type { Exchange, Scenario } from "../harness.ts";

const API = "https://api.example.test";
const ok = { status: 200 };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const tokenAnswer = (token: string, expires = 3600) => ({ status: 200, json: { access_token: token, token_type: "Bearer", expires_in: expires } });

/**
 * A token request of the client credentials grant, authenticated with HTTP Basic (RFC 6749
 * §2.3.1, the default). Tokens are cached per process by client: each scenario has its own.
 */
function tokenRequest(scope: string, token: string, client: { id: string; secret: string }): Exchange {
  return {
    request: {
      method: "POST",
      url: "https://auth.example.test/oauth/token",
      headers: { authorization: basic(client.id, client.secret), "content-type": "application/x-www-form-urlencoded" },
      form: { grant_type: "client_credentials", scope },
    },
    response: tokenAnswer(token),
  };
}

const client = (id: string) => ({ id, secret: "s3cr3t" });
const oauthAuth = (id: string) => ({ auth: { api: { oauth: { clientId: id, clientSecret: "s3cr3t" } } } });

export const scenarios: Scenario[] = [
  {
    name: "API keys go in their header, query parameter and cookie; a key may be given by a function, sync or async",
    run: "runKeys",
    options: { auth: { api: { apiKeyHeader: "k-1", apiKeyQuery: () => "k&2", apiKeyCookie: async () => "k 3" } } },
    exchanges: [
      { request: { method: "GET", url: `${API}/key-header`, headers: { "x-api-key": "k-1", authorization: null } }, response: ok },
      { request: { method: "GET", url: `${API}/key-query?api_key=k%262` }, response: ok },
      { request: { method: "GET", url: `${API}/key-cookie`, headers: { cookie: "sid=k%203" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "HTTP Basic: `{ username, password }`, UTF-8, base64",
    run: "runBasic",
    options: { auth: { api: { basicAuth: { username: "ana", password: "pä:ss" } } } },
    exchanges: [{ request: { method: "GET", url: `${API}/basic`, headers: { authorization: basic("ana", "pä:ss") } }, response: ok }],
    expect: { outputs: {} },
  },
  {
    name: "HTTP Bearer and another HTTP scheme, named as the description names it",
    run: "runBearer",
    options: { auth: { api: { bearerAuth: "b-1", tokenAuth: "t-1" } } },
    exchanges: [
      { request: { method: "GET", url: `${API}/bearer`, headers: { authorization: "Bearer b-1" } }, response: ok },
      { request: { method: "GET", url: `${API}/token`, headers: { authorization: "Token t-1" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "OAuth2 client credentials: a token per scope set, asked with the requirement's scopes; OpenID Connect through discovery, `client_secret_post`",
    run: "runOauth",
    options: { auth: { api: { ...oauthAuth("app").auth.api, oidc: { clientId: "app-2", clientSecret: "x y", clientAuthentication: "client_secret_post" } } } },
    exchanges: [
      tokenRequest("items:read", "T-read", client("app")),
      { request: { method: "GET", url: `${API}/oauth`, headers: { authorization: "Bearer T-read" } }, response: ok },
      tokenRequest("items:write", "T-write", client("app")),
      { request: { method: "POST", url: `${API}/oauth`, headers: { authorization: "Bearer T-write" } }, response: { status: 201 } },
      {
        request: { method: "GET", url: "https://id.example.test/.well-known/openid-configuration" },
        response: { status: 200, json: { issuer: "https://id.example.test", token_endpoint: "https://id.example.test/token" } },
      },
      {
        request: {
          method: "POST",
          url: "https://id.example.test/token",
          headers: { authorization: null },
          form: { grant_type: "client_credentials", client_id: "app-2", client_secret: "x y" },
        },
        response: tokenAnswer("T-oidc"),
      },
      { request: { method: "GET", url: `${API}/oidc`, headers: { authorization: "Bearer T-oidc" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "OAuth2: a 401 from the API gets a new token and the request once more",
    run: "runReadItems",
    options: oauthAuth("app-401"),
    exchanges: [
      tokenRequest("items:read", "T-old", client("app-401")),
      { request: { method: "GET", url: `${API}/oauth`, headers: { authorization: "Bearer T-old" } }, response: { status: 401 } },
      tokenRequest("items:read", "T-new", client("app-401")),
      { request: { method: "GET", url: `${API}/oauth`, headers: { authorization: "Bearer T-new" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "OAuth2: a second 401 stands and fails the step",
    run: "runReadItems",
    options: oauthAuth("app-401-twice"),
    exchanges: [
      tokenRequest("items:read", "T-1", client("app-401-twice")),
      { request: { method: "GET", url: `${API}/oauth` }, response: { status: 401 } },
      tokenRequest("items:read", "T-2", client("app-401-twice")),
      { request: { method: "GET", url: `${API}/oauth` }, response: { status: 401 } },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "criteria", stepId: "read", status: 401 } },
  },
  {
    name: "OAuth2: the `tokenUrl` of the credentials (a sandbox's) replaces the description's; explicit scopes",
    run: "runReadItems",
    options: { auth: { api: { oauth: { clientId: "app", clientSecret: "s3cr3t", tokenUrl: "https://sandbox-auth.example.test/t", scopes: ["a", "b"] } } } },
    exchanges: [
      {
        request: { method: "POST", url: "https://sandbox-auth.example.test/t", form: { grant_type: "client_credentials", scope: "a b" } },
        response: tokenAnswer("T"),
      },
      { request: { method: "GET", url: `${API}/oauth`, headers: { authorization: "Bearer T" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "OAuth2: a refused token request fails the step before the API request, naming the endpoint and the OAuth error, never the secret",
    run: "runReadItems",
    options: oauthAuth("app-refused"),
    exchanges: [
      {
        request: { method: "POST", url: "https://auth.example.test/oauth/token", form: { grant_type: "client_credentials", scope: "items:read" } },
        response: { status: 401, json: { error: "invalid_client", error_description: "bad secret s3cr3t" } },
      },
    ],
    expect: {
      error: {
        name: "ArazzoStepError",
        reason: "credentials",
        stepId: "read",
        message: ["the token endpoint https://auth.example.test/oauth/token answered HTTP 401 (invalid_client)"],
        messageExcludes: ["s3cr3t", "bad secret"],
      },
    },
  },
  {
    name: "OpenID Connect: a discovery document that names another issuer is not used (OpenID Connect Discovery §4.3)",
    run: "runOtherIdp",
    options: { auth: { api: { otherIdp: { clientId: "app-issuer", clientSecret: "x" } } } },
    exchanges: [
      {
        request: { method: "GET", url: "https://idp.example.test/.well-known/openid-configuration" },
        response: { status: 200, json: { issuer: "https://attacker.example.test", token_endpoint: "https://attacker.example.test/token" } },
      },
    ],
    expect: {
      error: {
        name: "ArazzoStepError",
        reason: "credentials",
        stepId: "read",
        message: ["the OpenID Connect discovery document https://idp.example.test/.well-known/openid-configuration names another issuer"],
      },
    },
  },
  {
    name: "OAuth2 without a client credentials flow: a token",
    run: "runCodeOnly",
    options: { auth: { api: { codeOnly: "access-1" } } },
    exchanges: [{ request: { method: "GET", url: `${API}/code`, headers: { authorization: "Bearer access-1" } }, response: ok }],
    expect: { outputs: {} },
  },
  {
    name: "both schemes of a requirement; the first alternative given; `security: []` sends none; `{}` makes them optional; a declared `Authorization` parameter is filled in",
    run: "runCombined",
    options: { auth: { api: { apiKeyHeader: "k", basicAuth: { username: "u", password: "p" }, bearerAuth: "b" } } },
    exchanges: [
      { request: { method: "GET", url: `${API}/both`, headers: { "x-api-key": "k", authorization: basic("u", "p") } }, response: ok },
      { request: { method: "GET", url: `${API}/either`, headers: { authorization: "Bearer b", "x-api-key": null } }, response: ok },
      { request: { method: "GET", url: `${API}/public`, headers: { authorization: null, "x-api-key": null } }, response: ok },
      { request: { method: "GET", url: `${API}/optional`, headers: { authorization: "Bearer b" } }, response: ok },
      { request: { method: "GET", url: `${API}/declared`, headers: { authorization: "Bearer b" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "without the first alternative's credentials the next is used, an optional requirement sends none, and a needed one missing fails before its request (JavaScript callers)",
    run: "runCombined",
    options: { auth: { api: { apiKeyHeader: "k", basicAuth: { username: "u", password: "p" } } } },
    exchanges: [
      { request: { method: "GET", url: `${API}/both` }, response: ok },
      { request: { method: "GET", url: `${API}/either`, headers: { authorization: null, "x-api-key": "k" } }, response: ok },
      { request: { method: "GET", url: `${API}/public` }, response: ok },
      { request: { method: "GET", url: `${API}/optional`, headers: { authorization: null } }, response: ok },
    ],
    expect: {
      error: {
        name: "ArazzoStepError",
        reason: "missing-credentials",
        stepId: "declared",
        message: ["`GET /declared` of source `api` needs `options.auth.api.bearerAuth` (HTTP bearer"],
      },
    },
  },
  {
    name: "no credentials at all: the first secured step fails before anything is sent, naming source and scheme",
    run: "runKeys",
    exchanges: [],
    expect: { error: { name: "ArazzoStepError", reason: "missing-credentials", stepId: "header", message: ["`options.auth.api.apiKeyHeader`"] } },
  },
  {
    name: "a credential function that throws fails the step with reason `credentials`",
    run: "runKeys",
    options: {
      auth: {
        api: {
          apiKeyHeader: () => {
            throw new Error("vault down");
          },
        },
      },
    },
    exchanges: [],
    expect: {
      error: { name: "ArazzoStepError", reason: "credentials", stepId: "header", message: ["the function given as `options.auth.api.apiKeyHeader` failed"] },
    },
  },
  {
    name: "an API key in the query goes after the parameters as openapi-fetch wrote them (`ids=a,b` stays)",
    run: "runSearch",
    options: { auth: { api: { apiKeyQuery: "k/1+" } } },
    exchanges: [{ request: { method: "GET", url: `${API}/search?ids=a,b&api_key=k%2F1%2B` }, response: ok }],
    expect: { outputs: {} },
  },
  {
    name: "a cookie API key keeps the characters a cookie value may hold (base64's `+/=`)",
    run: "runKeys",
    options: { auth: { api: { apiKeyHeader: "k", apiKeyQuery: "q", apiKeyCookie: "a+b/c==;d e" } } },
    exchanges: [
      { request: { method: "GET", url: `${API}/key-header` }, response: ok },
      { request: { method: "GET", url: `${API}/key-query?api_key=q` }, response: ok },
      { request: { method: "GET", url: `${API}/key-cookie`, headers: { cookie: "sid=a+b/c==%3Bd%20e" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "a credential `Headers` refuses (a line break) fails the step, the value nowhere in the error",
    run: "runKeys",
    options: { auth: { api: { apiKeyHeader: () => "s3cr3t\ninjected: yes" } } },
    exchanges: [],
    expect: {
      error: {
        name: "ArazzoStepError",
        reason: "credentials",
        stepId: "header",
        message: ["`options.auth.api.apiKeyHeader` gave a value that is not valid in an HTTP header"],
        messageExcludes: ["s3cr3t", "injected"],
      },
    },
  },
  {
    name: "`fromMiddleware`: a scheme whose credentials a middleware of the run adds counts as given",
    run: "runKeys",
    options: {
      auth: { api: { apiKeyHeader: Symbol.for("arazzo-ts.from-middleware"), apiKeyQuery: "q", apiKeyCookie: "c" } },
      middleware: [
        {
          onRequest({ request }: { request: Request }) {
            if (new URL(request.url).pathname === "/key-header") request.headers.set("X-API-Key", "signed");
            return request;
          },
        },
      ],
    },
    exchanges: [
      { request: { method: "GET", url: `${API}/key-header`, headers: { "x-api-key": "signed" } }, response: ok },
      { request: { method: "GET", url: `${API}/key-query?api_key=q` }, response: ok },
      { request: { method: "GET", url: `${API}/key-cookie`, headers: { cookie: "sid=c" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
  {
    name: "OAuth2: a token that is not a bearer token (`token_type: DPoP`) is not sent as one",
    run: "runReadItems",
    options: oauthAuth("app-dpop"),
    exchanges: [
      {
        request: { method: "POST", url: "https://auth.example.test/oauth/token", form: { grant_type: "client_credentials", scope: "items:read" } },
        response: { status: 200, json: { access_token: "T", token_type: "DPoP" } },
      },
    ],
    expect: {
      error: { name: "ArazzoStepError", reason: "credentials", stepId: "read", message: ["gave a token of type `DPoP`, which is not sent as a bearer token"] },
    },
  },
  {
    name: "OpenID Connect: a discovery document without an issuer is not used",
    run: "runRealm",
    options: { auth: { api: { realm: { clientId: "app-realm", clientSecret: "x" } } } },
    exchanges: [
      {
        request: { method: "GET", url: "https://sso.example.test/realms/demo/.well-known/openid-configuration" },
        response: { status: 200, json: { token_endpoint: "https://sso.example.test/realms/demo/token" } },
      },
    ],
    expect: { error: { name: "ArazzoStepError", reason: "credentials", stepId: "read", message: ["has no `issuer`: it is not used"] } },
  },
  {
    name: "a step that sends its own token needs no credentials, and given ones do not replace it",
    run: "runStepSupplied",
    inputs: { token: "mine" },
    options: { auth: { api: { bearerAuth: "other" } } },
    exchanges: [{ request: { method: "GET", url: `${API}/bearer`, headers: { authorization: "Bearer mine" } }, response: ok }],
    expect: { outputs: {} },
  },
  {
    name: "a step that sends its own key from an input: sent as given, and given credentials do not replace it",
    run: "runStepSuppliedOptional",
    inputs: { key: "own" },
    options: { auth: { api: { apiKeyHeader: "other" } } },
    exchanges: [{ request: { method: "GET", url: `${API}/key-header`, headers: { "x-api-key": "own" } }, response: ok }],
    expect: { outputs: {} },
  },
  {
    name: "a step that sends its own key from an input that is absent: the run's credentials are still needed, and none is sent without them",
    run: "runStepSuppliedOptional",
    inputs: {},
    exchanges: [],
    expect: { error: { name: "ArazzoStepError", reason: "missing-credentials", stepId: "header", message: ["`options.auth.api.apiKeyHeader`"] } },
  },
  {
    name: "a step that sends its own key from an input that is absent: the run's credentials fill it in",
    run: "runStepSuppliedOptional",
    inputs: {},
    options: { auth: { api: { apiKeyHeader: "given" } } },
    exchanges: [{ request: { method: "GET", url: `${API}/key-header`, headers: { "x-api-key": "given" } }, response: ok }],
    expect: { outputs: {} },
  },
  {
    name: "`x-security`: an API key, Basic credentials and an inline bearer scheme from inputs; the workflow's entry for the rest",
    run: "runXSecurity",
    inputs: { key: "key 1", user: "ana", password: "pw", token: "t" },
    exchanges: [
      { request: { method: "GET", url: `${API}/key-query?api_key=key%201` }, response: ok },
      { request: { method: "GET", url: `${API}/basic`, headers: { authorization: basic("ana", "pw") } }, response: ok },
      { request: { method: "GET", url: `${API}/bearer`, headers: { authorization: "Bearer t-inline" } }, response: ok },
      { request: { method: "GET", url: `${API}/token`, headers: { authorization: "Token t" } }, response: ok },
    ],
    expect: { outputs: {} },
  },
];
