/**
 * Certificates for TLS tests, made at test time with `openssl` (Debian's, OpenSSL 3) in a
 * temporary folder that is removed before this returns: a CA, a server certificate for
 * 127.0.0.1 (subjectAltName `IP:127.0.0.1`) and a client certificate, both signed by that CA,
 * the client's key once more encrypted with a passphrase, and a second client certificate
 * signed by another CA, which the server does not trust.
 * Keys are P-256 (quick to make); certificates are valid for a day. `openssl` runs through
 * `execFile` with fixed arguments (no shell) and its own config file, so the machine's
 * `openssl.cnf` adds no extensions.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A certificate and its private key, PEM. */
export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestCertificates {
  /** The CA that signed `server` and `client`. */
  readonly ca: string;
  /** For 127.0.0.1, signed by `ca`. */
  readonly server: KeyPair;
  /** Subject `CN=<clientName>`, signed by `ca`. */
  readonly client: KeyPair;
  /** `client`'s key encrypted (PKCS#8, AES-256-CBC) with `passphrase`. */
  readonly encryptedClientKey: { readonly key: string; readonly passphrase: string };
  /** Subject `CN=<clientName>-untrusted`, signed by another CA. */
  readonly untrustedClient: KeyPair;
  /** The common name of `client`. */
  readonly clientName: string;
}

/** What `req` needs of a config: everything else is given on the command line. */
const CONFIG = "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n";

/** Extensions of the certificates the CAs sign, by section. */
const EXTENSIONS = `[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

/** Makes the certificates; `clientName` (letters, digits, `.`, `-`) is the client certificate's common name. */
export async function makeTestCertificates(clientName = "arazzo-ts-test-client"): Promise<TestCertificates> {
  if (!/^[A-Za-z0-9.-]+$/.test(clientName)) throw new Error(`client name ${JSON.stringify(clientName)}: letters, digits, \`.\` and \`-\` only`);
  const dir = await mkdtemp(path.join(tmpdir(), "arazzo-ts-tls-"));
  try {
    const file = (name: string) => path.join(dir, name);
    await writeFile(file("openssl.cnf"), CONFIG);
    await writeFile(file("extensions.cnf"), EXTENSIONS);
    const passphrase = randomBytes(12).toString("base64url");
    const openssl = async (...args: string[]) => {
      try {
        // The passphrase goes by the environment (`-passout env:…`), not the command line.
        const env = { ...process.env, OPENSSL_CONF: file("openssl.cnf"), ARAZZO_TS_TEST_PASSPHRASE: passphrase };
        await run("openssl", args, { cwd: dir, env, timeout: 30_000 });
      } catch (error) {
        const missing = (error as { code?: unknown }).code === "ENOENT";
        const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
        throw new Error(missing ? "`openssl` is not installed (Debian: apt-get install openssl)" : `openssl ${args[0]} failed: ${stderr}`, { cause: error });
      }
    };
    const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

    const makeCa = async (name: string, subject: string) => {
      const extensions = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign", "subjectKeyIdentifier=hash"];
      await openssl(
        "req",
        "-config",
        file("openssl.cnf"),
        "-x509",
        ...newKey,
        "-keyout",
        file(`${name}.key`),
        "-subj",
        subject,
        "-days",
        "1",
        "-set_serial",
        serial(),
        ...extensions.flatMap((extension) => ["-addext", extension]),
        "-out",
        file(`${name}.crt`),
      );
    };
    const makeLeaf = async (name: string, subject: string, ca: string, section: "server" | "client"): Promise<KeyPair> => {
      await openssl("req", "-config", file("openssl.cnf"), "-new", ...newKey, "-keyout", file(`${name}.key`), "-subj", subject, "-out", file(`${name}.csr`));
      await openssl(
        "x509",
        "-req",
        "-in",
        file(`${name}.csr`),
        "-CA",
        file(`${ca}.crt`),
        "-CAkey",
        file(`${ca}.key`),
        "-days",
        "1",
        "-set_serial",
        serial(),
        "-extfile",
        file("extensions.cnf"),
        "-extensions",
        section,
        "-out",
        file(`${name}.crt`),
      );
      return { cert: await readFile(file(`${name}.crt`), "utf8"), key: await readFile(file(`${name}.key`), "utf8") };
    };

    await Promise.all([makeCa("ca", "/CN=arazzo-ts test CA"), makeCa("other-ca", "/CN=arazzo-ts untrusted CA")]);
    const [server, client, untrustedClient] = await Promise.all([
      makeLeaf("server", "/CN=127.0.0.1", "ca", "server"),
      makeLeaf("client", `/CN=${clientName}`, "ca", "client"),
      makeLeaf("untrusted-client", `/CN=${clientName}-untrusted`, "other-ca", "client"),
    ]);
    await openssl(
      "pkcs8",
      "-topk8",
      "-v2",
      "aes-256-cbc",
      "-in",
      file("client.key"),
      "-passout",
      "env:ARAZZO_TS_TEST_PASSPHRASE",
      "-out",
      file("client-encrypted.key"),
    );
    const encryptedClientKey = { key: await readFile(file("client-encrypted.key"), "utf8"), passphrase };
    return { ca: await readFile(file("ca.crt"), "utf8"), server, client, encryptedClientKey, untrustedClient, clientName };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A random positive serial number, as `-set_serial` takes it. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return `0x${bytes.toString("hex")}`;
}
