/**
 * What `arazzo-ts run` masks in what it prints and writes (generator/run/secrets.ts): credential
 * values in every form they travel in, secret inputs, tokens a body hands on, credential
 * headers and query parameters, and nothing that is the API's own data.
 */
import { describe, expect, it } from "vitest";
import { MASK, Masker } from "../../generator/run/secrets.ts";

describe("Masker", () => {
  it("masks a credential as written, URL-encoded and JSON-escaped, longest first", () => {
    const masker = new Masker(true);
    masker.secret('s3cr/t "key"');
    masker.secret("s3cr");
    expect(masker.text('a s3cr/t "key" b')).toBe(`a ${MASK} b`);
    expect(masker.text(`q=${encodeURIComponent('s3cr/t "key"')}`)).toBe(`q=${MASK}`);
    expect(masker.text(JSON.stringify({ v: 's3cr/t "key"' }))).toBe(`{"v":"${MASK}"}`);
    expect(masker.text("s3cr alone")).toBe(`${MASK} alone`);
  });

  it("leaves values shorter than the least length (masking a short word would mask the API's data)", () => {
    const masker = new Masker(true);
    masker.secret("abc");
    masker.secret("guessed", 8);
    expect(masker.text("abc guessed")).toBe("abc guessed");
    masker.secret(["longer-than-eight", { nested: "another-secret" }], 8);
    expect(masker.text("longer-than-eight another-secret")).toBe(`${MASK} ${MASK}`);
  });

  it("masks secret inputs by format, name and origin, and shows the others", () => {
    const masker = new Masker(true);
    const shown = masker.inputs(
      { pin: "1234", apiToken: "tok-123456789", fromEnv: "from-environment", petId: 42, name: "Rex" },
      { pin: { type: "string", format: "password" }, petId: { type: "integer" } },
      new Set(["fromEnv"]),
    );
    expect(shown).toEqual({ pin: MASK, apiToken: MASK, fromEnv: MASK, petId: 42, name: "Rex" });
    // And their values are masked wherever they appear afterwards.
    expect(masker.text("/pets?pin=1234&t=tok-123456789&e=from-environment")).toBe(`/pets?pin=${MASK}&t=${MASK}&e=${MASK}`);
  });

  it("learns tokens a body hands on and masks them from then on", () => {
    const masker = new Masker(true);
    masker.learn({ data: [{ access_token: "eyJhbGciOi.payload.sig", session_id: "sess-0000001", code: "ABCDEFGHIJ" }] });
    expect(masker.header("X-Next", "Bearer eyJhbGciOi.payload.sig")).toBe(`Bearer ${MASK}`);
    // A session id or a code is the API's data, not a credential.
    expect(masker.text("sess-0000001 ABCDEFGHIJ")).toBe("sess-0000001 ABCDEFGHIJ");
  });

  it("masks credential headers whatever they hold, and the API key headers it is told of", () => {
    const masker = new Masker(true);
    masker.carriers(["X-API-Key"], ["api_key"]);
    expect(masker.header("Authorization", "Basic dXNlcjpwYXNz")).toBe(MASK);
    expect(masker.header("cookie", "a=b")).toBe(MASK);
    expect(masker.header("x-api-key", "k")).toBe(MASK);
    expect(masker.header("Content-Type", "application/json")).toBe("application/json");
  });

  it("masks credential and secret-looking query values and drops user info from URLs", () => {
    const masker = new Masker(true);
    masker.carriers([], ["appid"]);
    expect(masker.url("https://user:pw@api.example.com/v1/pets?appid=abc&limit=10&access_token=xyz&page%5Bsize%5D=2")).toBe(
      `https://api.example.com/v1/pets?appid=${MASK}&limit=10&access_token=${MASK}&page%5Bsize%5D=2`,
    );
  });

  it("masks token fields of JSON and form bodies, leaving the rest as sent", () => {
    const masker = new Masker(true);
    expect(JSON.parse(masker.body('{"access_token":"t","expires_in":3600,"token_type":"Bearer"}', "application/json"))).toEqual({
      access_token: MASK,
      expires_in: 3600,
      token_type: "Bearer",
    });
    expect(masker.body("grant_type=client_credentials&client_secret=shh", "application/x-www-form-urlencoded")).toBe(
      `grant_type=client_credentials&client_secret=${MASK}`,
    );
    expect(masker.body("not json {", "application/problem+json")).toBe("not json {");
  });

  it("finds a secret however a form encoded it, field by field", () => {
    const masker = new Masker(true);
    masker.secret("my pass~word!(1)");
    const sent = new URLSearchParams({ user: "alice", passphrase: "my pass~word!(1)", note: "my pass~word!(1) again" }).toString();
    expect(masker.body(sent, "application/x-www-form-urlencoded")).toBe(`user=alice&passphrase=${MASK}&note=${MASK}+again`);
    // And in text that holds the form as sent (a HAR's postData, a log line).
    expect(masker.text(sent)).toBe(`user=alice&passphrase=${MASK}&note=${MASK}+again`);
  });

  it("masks tokens in fields named any way that ends like one, not page tokens", () => {
    const masker = new Masker(true);
    const body = {
      authToken: "a1",
      auth_token: "a2",
      api_token: "a3",
      sessionKey: "a4",
      jwt: "a5",
      userPassword: "a6",
      nextPageToken: "p1",
      token_type: "Bearer",
      sessionId: "s1",
    };
    expect(masker.json(body)).toEqual({
      authToken: MASK,
      auth_token: MASK,
      api_token: MASK,
      sessionKey: MASK,
      jwt: MASK,
      userPassword: MASK,
      nextPageToken: "p1",
      token_type: "Bearer",
      sessionId: "s1",
    });
    masker.learn({ data: { authToken: "learned-auth-token" } });
    expect(masker.text("Bearer learned-auth-token")).toBe(`Bearer ${MASK}`);
  });

  it("masks headers whose names look secret", () => {
    const masker = new Masker(true);
    for (const name of ["X-Auth-Token", "X-Session", "X-API-Key", "Signature", "X-Client-Secret"]) expect(masker.header(name, "v"), name).toBe(MASK);
    for (const name of ["X-Request-Id", "Idempotency-Key", "Accept"]) expect(masker.header(name, "v"), name).toBe("v");
  });

  it("masks nothing with --no-secrets-masking", () => {
    const masker = new Masker(false);
    masker.secret("credential-value");
    expect(masker.text("credential-value")).toBe("credential-value");
    expect(masker.header("Authorization", "Bearer x")).toBe("Bearer x");
    expect(masker.url("https://a@b.example/?token=1")).toBe("https://a@b.example/?token=1");
    expect(masker.inputs({ password: "p4ssword" }, {}, new Set())).toEqual({ password: "p4ssword" });
  });
});
