/** The whole XML (text) response body as a step output, read by an XPath criterion too. */
import type { Scenario } from "../harness.ts";

const xml = "<report><status>ok</status></report>";

export const scenarios: Scenario[] = [
  {
    name: "the XML text is the output",
    run: "runXmlOutput",
    exchanges: [{ request: { method: "GET", url: "https://api.example.test/v1/report" }, response: { status: 200, xml } }],
    expect: { outputs: { xml } },
  },
];
