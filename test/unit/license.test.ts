/** The LICENSE of a generated package: full texts for the short permissive licenses, a notice for others, none for UNLICENSED. */
import { describe, expect, test } from "vitest";
import { licenseText } from "../../generator/targets/typescript/license.ts";

describe("licenseText", () => {
  test.each(["MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause"])("%s: the full text, naming the holder", (spdx) => {
    const text = licenseText(spdx, "Acme Corp")!;
    expect(text).toContain("Copyright (c) Acme Corp\n");
    expect(text).toMatch(/WITHOUT WARRANT|AS IS/);
  });
  test("BSD-3-Clause has the no-endorsement clause, BSD-2-Clause does not", () => {
    expect(licenseText("BSD-3-Clause", null)).toContain("3. Neither the name of the copyright holder");
    expect(licenseText("BSD-2-Clause", null)).not.toContain("3. Neither");
    expect(licenseText("BSD-2-Clause", null)).toMatch(/^BSD 2-Clause License\n\nCopyright \(c\) the authors\n/);
  });
  test("another SPDX expression: a notice naming it and where its text is", () => {
    expect(licenseText("Apache-2.0", "Acme")).toBe(
      "Copyright (c) Acme\n\nThis package is licensed under Apache-2.0.\nThe text of the license: https://spdx.org/licenses/Apache-2.0.html\n",
    );
  });
  test("UNLICENSED: no LICENSE file", () => {
    expect(licenseText("UNLICENSED", "Acme")).toBeUndefined();
  });
});
